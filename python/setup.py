# Records the twinedge checkout this package is installed from (the folder above python/) in
# twinedge/_home.py, so the installed package finds bin/twinedge.js without configuration.
# TWINEDGE_HOME overrides it at run time (docs/python.md "Installing").
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
HOME = os.path.dirname(HERE)


class BuildPyWithHome(build_py):
    def run(self):
        super().run()
        home = HOME if os.path.isfile(os.path.join(HOME, "bin", "twinedge.js")) else None
        target = os.path.join(self.build_lib, "twinedge", "_home.py")
        with open(target, "w", encoding="utf-8") as f:
            f.write("# Written at install time by setup.py: the twinedge checkout this package came from.\n")
            f.write(f"HOME = {home!r}\n")


setup(cmdclass={"build_py": BuildPyWithHome})

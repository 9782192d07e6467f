# Replaced at install time by setup.py with the checkout the package was installed from;
# in the source tree the package finds the checkout above python/ (twinedge/_bridge.py).
HOME = None

"""The simulator process ends with its Python process: on close(), on exit, and on kill -9."""

import os
import signal
import subprocess
import sys
import time

import twinedge


def running(pid):
    """Whether `pid` is alive and not a zombie (an exited process its parent has not reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    if state == "Z":
        try:
            os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        except ChildProcessError:
            pass
        return False
    return True


def gone(pid, within_s=10.0):
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        if not running(pid):
            return True
        time.sleep(0.05)
    return False


def test_close_ends_the_child(small):
    env = twinedge.VectorEnv(small)
    pid = env.pid
    env.reset()
    env.close()
    assert gone(pid)


SCRIPT = """
import sys, time, twinedge
env = twinedge.VectorEnv(sys.argv[1])
env.reset()
print(env.pid, flush=True)
if sys.argv[2] == "exit":
    sys.exit(0)
time.sleep(60)
"""


def child_of_python(small, how):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in [os.path.dirname(os.path.dirname(twinedge.__file__)), os.environ.get("PYTHONPATH")] if p))
    p = subprocess.Popen([sys.executable, "-c", SCRIPT, small, how], stdout=subprocess.PIPE, text=True, env=env)
    pid = int(p.stdout.readline())
    return p, pid


def test_the_child_exits_when_python_exits_without_closing(small):
    p, pid = child_of_python(small, "exit")
    p.wait(timeout=30)
    assert gone(pid)


def test_the_child_exits_when_python_is_killed(small):
    p, pid = child_of_python(small, "sleep")
    assert running(pid)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    assert gone(pid), f"env-server {pid} outlived its killed Python process"

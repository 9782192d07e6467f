"""Ctrl-C and the pipes: an interrupted request breaks the environment for good (its reply would
be read by the next request), and a terminal's Ctrl-C between requests leaves it usable (the
simulator process ignores SIGINT)."""

import os
import signal
import subprocess
import sys

import numpy as np
import pytest

import twinedge
from twinedge.errors import BridgeError

from test_shutdown import gone, running

BROKEN = r"interrupted; create a new environment"


def python_env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in [os.path.dirname(os.path.dirname(twinedge.__file__)), os.environ.get("PYTHONPATH")] if p))


def test_an_exception_inside_a_read_breaks_the_env(small):
    env = twinedge.VectorEnv(small)
    env.reset(seed=1)
    pid, bridge = env.pid, env._bridge
    real = bridge._read_into

    def interrupted(view):
        real(view[:1])  # part of the reply read, as a Ctrl-C mid-read leaves it
        raise KeyboardInterrupt

    bridge._read_into = interrupted
    with pytest.raises(KeyboardInterrupt):
        env.step(np.zeros(env.num_agents, np.int32))
    bridge._read_into = real
    assert gone(pid)
    for call in (lambda: env.step(np.zeros(env.num_agents, np.int32)), lambda: env.reset(seed=1), env.state, env.metrics):
        with pytest.raises(BridgeError, match=BROKEN):
            call()
    env.close()  # still fine to call


SIGINT_MID_STEP = """
import os, signal, sys, threading, numpy as np, twinedge
env = twinedge.VectorEnv(sys.argv[1])
env.reset(seed=1)
os.kill(env.pid, signal.SIGSTOP)  # a slow step: the reply cannot come
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
try:
    env.step(np.zeros(env.num_agents, np.int32))
    print("no interrupt", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
print("pid", env.pid, flush=True)
try:
    env.step(np.zeros(env.num_agents, np.int32))
    print("next step ok", flush=True)
except twinedge.BridgeError as e:
    print("BridgeError", e, flush=True)
"""


def test_sigint_during_a_step_breaks_the_env(small):
    r = subprocess.run([sys.executable, "-c", SIGINT_MID_STEP, small], capture_output=True, text=True, env=python_env(), timeout=60)
    lines = r.stdout.splitlines()
    assert lines[0] == "KeyboardInterrupt", r.stdout + r.stderr
    assert lines[2].startswith("BridgeError") and BROKEN in lines[2], r.stdout + r.stderr
    assert gone(int(lines[1].split()[1]))


CTRL_C_BETWEEN = """
import sys, time, numpy as np, twinedge
env = twinedge.VectorEnv(sys.argv[1])
env.reset(seed=1)
env.step(np.zeros(env.num_agents, np.int32))
try:
    # Inside the try: the test's SIGINT may come as soon as this line is read.
    print(env.pid, flush=True)
    time.sleep(30)
    print("no interrupt", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
obs, rewards, term, trunc, info = env.step(np.zeros(env.num_agents, np.int32))
print("slot", info["slot"], flush=True)
"""


def test_terminal_ctrl_c_between_requests_leaves_the_env_usable(small):
    # A terminal's Ctrl-C signals the whole foreground process group: Python and its simulator.
    p = subprocess.Popen([sys.executable, "-c", CTRL_C_BETWEEN, small], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=python_env(), start_new_session=True)
    try:
        child = int(p.stdout.readline())
        os.killpg(p.pid, signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert out.splitlines() == ["KeyboardInterrupt", "slot 2"], out + err
    assert p.returncode == 0, err
    assert gone(child)

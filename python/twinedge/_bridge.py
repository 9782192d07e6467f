"""The Node child process behind an environment, and its frames (docs/python.md "Protocol").

Every request and reply is an 8-byte little-endian header (u32 payload bytes, u32 op or status)
and its payload, over the child's stdin and stdout: no network port. The child exits when its
stdin closes: when the environment is closed, collected, or this Python process ends or is killed.
"""

import json
import os
import shutil
import struct
import subprocess
import tempfile
import weakref

from . import _home
from .errors import BridgeError, ScenarioError, from_reply

OP_INIT, OP_RESET, OP_STEP, OP_STEP_POLICY, OP_METRICS, OP_STATE = 1, 2, 3, 4, 5, 6
STATUS_STEPPED, STATUS_JSON, STATUS_ERROR, STATUS_ARRAY = 0, 1, 2, 3
_HEADER = struct.Struct("<II")


def _plain(value):
    """numpy scalars and arrays as JSON values."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _is_home(path):
    return bool(path) and os.path.isfile(os.path.join(path, "bin", "twinedge.js"))


def find_home():
    """The twinedge checkout: TWINEDGE_HOME, else the one recorded at install time, else the one this source tree lies in, else the `twinedge` command's."""
    tried = []
    env = os.environ.get("TWINEDGE_HOME")
    if env:
        if _is_home(env):
            return os.path.abspath(env)
        raise BridgeError(f"TWINEDGE_HOME={env!r}: no bin/twinedge.js there (it must name the twinedge checkout)")
    tried.append("TWINEDGE_HOME (unset)")
    if _is_home(_home.HOME):
        return _home.HOME
    tried.append(f"the checkout recorded at install time ({_home.HOME!r})")
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if _is_home(here):
        return here
    tried.append(f"the source tree ({here})")
    cmd = shutil.which("twinedge")
    if cmd:
        root = os.path.dirname(os.path.dirname(os.path.realpath(cmd)))
        if _is_home(root):
            return root
    tried.append("the twinedge command on PATH")
    raise BridgeError("cannot find the twinedge checkout; tried " + ", ".join(tried) + ". Set TWINEDGE_HOME to it.")


def find_node():
    """The node executable: TWINEDGE_NODE, else node on PATH."""
    node = os.environ.get("TWINEDGE_NODE") or shutil.which("node")
    if not node:
        raise BridgeError("cannot find node (Node.js >= 20.19) on PATH; set TWINEDGE_NODE to it")
    return node


def _stop(proc, stdin, stdout, stderr):
    """Closes the child's stdin (it then exits) and reaps it; a finaliser, so it holds no reference to the Bridge."""
    try:
        stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for f in (stdout, stderr):
        try:
            f.close()
        except OSError:
            pass


class Bridge:
    """One env-server child: send(op, payload) -> (status, payload bytes); errors as exceptions."""

    def __init__(self, home=None):
        self.home = home or find_home()
        self._stderr = tempfile.TemporaryFile()
        args = [find_node(), os.path.join(self.home, "bin", "twinedge.js"), "env-server"]
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0, cwd=os.getcwd())
        except OSError as e:
            raise BridgeError(f"cannot start {' '.join(args)}: {e}") from e
        self._in = self.proc.stdin
        self._out = self.proc.stdout
        self._header = bytearray(8)
        self._broken = None
        self._finalizer = weakref.finalize(self, _stop, self.proc, self._in, self._out, self._stderr)

    @property
    def pid(self):
        return self.proc.pid

    def close(self):
        self._finalizer()

    @property
    def closed(self):
        return not self._finalizer.alive

    def _died(self, when):
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            self._stderr.seek(0)
            err = self._stderr.read().decode("utf8", "replace").strip()
        except (OSError, ValueError):
            err = ""
        code = self.proc.returncode
        self.close()
        return BridgeError(f"the twinedge env-server ({self.home}) {when} (exit code {code})" + (f":\n{err}" if err else ""))

    def _write_all(self, data):
        view, n = memoryview(data), 0
        while n < len(view):
            n += self._in.write(view[n:])

    def _read_into(self, view):
        n, size = 0, len(view)
        while n < size:
            got = self._out.readinto(view[n:])
            if not got:
                raise self._died("stopped")
            n += got

    def _interrupted(self, e):
        """A request cut short (Ctrl-C's KeyboardInterrupt, or any exception): the pipes are out of step, so the child is killed and every later call refuses."""
        self._broken = (f"the environment's request was interrupted ({type(e).__name__}) before its reply was read, "
                        "so the simulator was stopped: the environment is interrupted; create a new environment")
        try:
            self.proc.kill()
        except OSError:
            pass
        self.close()

    def request(self, op, payload=b""):
        """Sends one request; returns (status, payload) of its reply, or raises the error it carries.

        Any exception while the request is in flight (KeyboardInterrupt included) breaks the
        environment: the child is killed, the exception propagates, and every later request
        raises BridgeError("... interrupted; create a new environment").
        """
        if self._broken:
            raise BridgeError(self._broken)
        if self.closed:
            raise BridgeError("the environment is closed")
        try:
            try:
                self._write_all(_HEADER.pack(len(payload), op) + payload)
            except OSError:
                raise self._died("is gone") from None
            self._read_into(memoryview(self._header))
            length, status = _HEADER.unpack(self._header)
            body = bytearray(length)
            self._read_into(memoryview(body))
        except BridgeError:
            raise
        except BaseException as e:
            self._interrupted(e)
            raise
        if status == STATUS_ERROR:
            raise from_reply(json.loads(body.decode("utf8")))
        return status, body

    def request_json(self, op, value):
        try:
            text = json.dumps(value, default=_plain, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ScenarioError(f"cannot send {value!r} as JSON: {e}") from None
        status, body = self.request(op, text.encode("utf8"))
        return json.loads(body.decode("utf8")) if status == STATUS_JSON else body

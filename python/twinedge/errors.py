"""Exceptions raised by the twinedge package: what went wrong on the Node side, as Python types."""


class TwinedgeError(Exception):
    """Base of the package's errors."""


class ScenarioError(TwinedgeError, ValueError):
    """A bad scenario field, override, sweep point, seed or option. `issues`: one line per bad field, each starting with the field's path."""

    def __init__(self, message, issues=None, source=None):
        super().__init__(message)
        self.issues = list(issues) if issues else [message]
        self.source = source


class ActionError(TwinedgeError, ValueError):
    """An action that cannot be taken: outside 0..6, missing for an active agent, for an unknown agent, or masked with strict_masks."""


class EnvStateError(TwinedgeError, RuntimeError):
    """A call out of sequence: step before reset or after the episode ended, metrics before the episode's end."""


class BridgeError(TwinedgeError, RuntimeError):
    """The simulator process could not be started, or died (its stderr is in the message)."""


class EnvError(TwinedgeError, RuntimeError):
    """An internal error of the simulator (a bug): the Node stack trace is in the message."""


_BY_TYPE = {"ScenarioError": ScenarioError, "ActionError": ActionError, "EnvStateError": EnvStateError, "EnvError": EnvError}


def from_reply(body):
    """The exception for an error reply of the env server ({type, message, issues?, source?})."""
    kind = _BY_TYPE.get(body.get("type"), EnvError)
    if kind is ScenarioError:
        return ScenarioError(body.get("message", ""), body.get("issues"), body.get("source"))
    return kind(body.get("message", ""))

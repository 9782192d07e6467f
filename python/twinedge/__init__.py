"""twinedge from Python: the simulator's stochastic game as PettingZoo and vectorised
environments (the same simulator `twinedge run` runs, in a Node child process), and result
folders as pandas DataFrames. docs/python.md in the repository documents it."""

from .errors import ActionError, BridgeError, EnvError, EnvStateError, ScenarioError, TwinedgeError
from .parallel import TwinedgeParallelEnv, parallel_env
from .results import Results, load_results
from .vector import ACTION_NAMES, ACTIONS, VectorEnv

__all__ = [
    "ACTIONS", "ACTION_NAMES", "ActionError", "BridgeError", "EnvError", "EnvStateError", "Results", "ScenarioError",
    "TwinedgeError", "TwinedgeParallelEnv", "VectorEnv", "load_results", "parallel_env",
]
__version__ = "0.1.0"

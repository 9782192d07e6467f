"""How an environment names its scenario: a file or a dict, field overrides, a sweep point."""

import math
import os

from .errors import ScenarioError

# Environment options: every other keyword argument is a scenario field.
ENV_OPTIONS = ("scenario", "seed", "point", "overrides", "backend", "episode", "strict_masks")


def _camel(segment):
    """A snake_case keyword segment as the scenario's camelCase field name (per_site -> perSite, slot_s -> slotS)."""
    head, *rest = segment.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def keyword_path(name):
    """A keyword argument's field path: `__` separates fields, each snake_case or camelCase (users__per_site -> users.perSite)."""
    return ".".join(_camel(p) for p in name.split("__"))


def _flatten(prefix, value, out):
    if isinstance(value, dict) and value:
        for k, v in value.items():
            if not isinstance(k, str):
                raise ScenarioError(f"{prefix}: field names must be strings, got {k!r}")
            _flatten(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = value


def _nonfinite(path, value):
    """The path and value of the first NaN or infinity in `value` (JSON has neither), else None."""
    if isinstance(value, dict):
        for k, v in value.items():
            hit = _nonfinite(f"{path}.{k}" if path else str(k), v)
            if hit:
                return hit
    elif isinstance(value, (list, tuple)):
        for k, v in enumerate(value):
            hit = _nonfinite(f"{path}[{k}]", v)
            if hit:
                return hit
    else:
        if hasattr(value, "tolist") and not isinstance(value, (int, float)):
            return _nonfinite(path, value.tolist())
        if isinstance(value, float) and not math.isfinite(value):
            return path, value
    return None


def _check_finite(where, value):
    hit = _nonfinite(where, value)
    if hit:
        raise ScenarioError(f"{hit[0]}: expected a finite number, got {hit[1]!r} (JSON has no NaN or infinity)")


def scenario_request(scenario, point=None, overrides=None, fields=None):
    """The init request's scenario part: {path | object, overrides: {dotted path: value}, point}.

    `fields` (keyword arguments): a dict value is merged into the scenario's object field by
    field (users={"perSite": 50} sets users.perSite only); `__` in a name is a dot and
    snake_case segments are camelCased (users__perSite=50, users__per_site=50, warmup_slots=10).
    `overrides`: the scenario's own dotted paths, set whole ({"tasks.bits": {...}}). Applied in
    that order; all are validated by the simulator's scenario schema.
    """
    dotted = {}
    for name, value in (fields or {}).items():
        _flatten(keyword_path(name), value, dotted)
    for name, value in (overrides or {}).items():
        if not isinstance(name, str):
            raise ScenarioError(f"overrides: field paths must be strings, got {name!r}")
        dotted[name] = value
    for name, value in dotted.items():
        _check_finite(name, value)
    _check_finite("point", point)
    if isinstance(scenario, dict):
        _check_finite("", scenario)
    req = {"overrides": dotted, "point": point}
    if isinstance(scenario, (str, os.PathLike)):
        req["path"] = os.fspath(scenario)
    elif isinstance(scenario, dict):
        req["object"] = scenario
    else:
        raise ScenarioError(f"scenario: expected a scenario file path or a dict, got {type(scenario).__name__}")
    if isinstance(point, bool) or not (point is None or isinstance(point, (int, dict))):
        raise ScenarioError(f"point: expected a sweep point index or a dict of axis values, got {point!r}")
    return req

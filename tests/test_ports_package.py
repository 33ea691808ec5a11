"""``backend_client.ports`` is a package of one module per area; importers keep using the package."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import backend_client.ports as ports


def test_the_package_re_exports_every_port_of_its_modules():
    declared = {
        name
        for info in pkgutil.iter_modules(ports.__path__)
        for name, value in vars(importlib.import_module(f"{ports.__name__}.{info.name}")).items()
        if inspect.isclass(value) and value.__module__.startswith(f"{ports.__name__}.")
    }
    assert declared
    assert declared == set(ports.__all__)
    assert all(getattr(ports, name).__module__ != ports.__name__ for name in declared)

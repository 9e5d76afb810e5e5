"""The report reads are split by purpose, each module declaring what it offers; the old
mixed `reports.selectors` is gone rather than kept alive by re-exports."""

import importlib

import pytest

MODULES = ["reports.filters", "reports.figures", "reports.rollup", "reports.record"]


@pytest.mark.parametrize("name", [*MODULES, "quizzes.statistics"])
def test_each_module_declares_what_it_offers(name):
    module = importlib.import_module(name)
    assert module.__all__
    for exported in module.__all__:
        assert hasattr(module, exported), exported


def test_the_mixed_module_is_gone():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("reports.selectors")


def test_item_analysis_is_read_next_to_the_quiz_statistics():
    from quizzes.statistics import item_analysis

    assert item_analysis.__module__ == "quizzes.statistics"
    assert not any(hasattr(importlib.import_module(m), "item_analysis") for m in MODULES)

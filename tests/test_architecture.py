"""The rooms' shape, checked from the imports (docs/architecture.md).

import-linter (`make lint`) holds the direction between the rooms; this holds what it does not:
no module of ours imports another that imports it back, directly or round a longer loop,
counting the imports written inside functions (grimp reads every import statement).
"""

import grimp
import pytest

PACKAGES = ("cramps", "diary", "prevention")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES)


def loops(graph) -> list[tuple[str, str]]:
    """Each direct import A → B where B also reaches A: the edges that close a loop."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] in PACKAGES and graph.chain_exists(importer=imported, imported=importer)
    )


def test_no_module_imports_one_that_imports_it_back(graph):
    assert loops(graph) == []


def test_the_check_sees_a_loop_made_by_an_import_inside_a_function():
    # The check itself can fail: delivery imports diary.models, so an import back closes a loop.
    graph = grimp.build_graph(*PACKAGES)
    graph.add_import(importer="diary.models", imported="prevention.reminders.delivery", line_number=1, line_contents="")
    assert ("diary.models", "prevention.reminders.delivery") in loops(graph)

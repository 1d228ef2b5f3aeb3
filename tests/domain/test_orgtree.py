import pytest

from app.domain.orgtree import (
    OrgTreeError,
    ancestor_ids,
    check_move,
    child_path,
    depth,
    in_subtree,
    rebase,
    subtree_bounds,
)


def test_child_path_appends_the_id():
    assert child_path(None, 1) == "/1/"
    assert child_path("/1/5/", 23) == "/1/5/23/"


def test_subtree_bounds_exclude_siblings_with_a_common_prefix():
    low, high = subtree_bounds("/1/5/")
    assert low <= "/1/5/" < high
    assert low <= "/1/5/23/" < high
    assert not (low <= "/1/50/" < high)
    assert not (low <= "/1/6/" < high)
    assert not (low <= "/1/" < high)


@pytest.mark.parametrize(
    ("path", "root", "inside"),
    [("/1/5/23/", "/1/", True), ("/1/5/", "/1/5/", True), ("/1/51/", "/1/5/", False),
     ("/1/", "/1/5/", False), ("/2/5/", "/1/5/", False)],
)
def test_in_subtree(path, root, inside):
    assert in_subtree(path, root) is inside


def test_ancestors_and_depth():
    assert ancestor_ids("/1/5/23/") == [1, 5, 23]
    assert depth("/1/") == 0
    assert depth("/1/5/23/") == 2


def test_a_unit_cannot_move_under_itself_or_a_descendant():
    with pytest.raises(OrgTreeError):
        check_move("/1/5/", "/1/5/")
    with pytest.raises(OrgTreeError):
        check_move("/1/5/", "/1/5/23/")
    check_move("/1/5/", "/1/6/")  # a sibling is fine
    check_move("/1/5/", None)  # so is becoming a root


def test_rebase_moves_a_descendant_path():
    assert rebase("/1/5/23/", "/1/5/", "/1/6/5/") == "/1/6/5/23/"
    with pytest.raises(OrgTreeError):
        rebase("/2/", "/1/", "/3/1/")


def test_malformed_paths_are_refused():
    with pytest.raises(OrgTreeError):
        subtree_bounds("/1/5")
    with pytest.raises(OrgTreeError):
        child_path("/1/", 0)

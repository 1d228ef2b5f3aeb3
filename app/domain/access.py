"""Who may see which rows: the pure rule behind every data scope.

A viewer sees their own record; HR manages (and sees everyone in) the units
that lie in the subtree of one of their scope units; admins manage every unit. Trainers' scope
(their own courses) is added by the learning and authoring features.
"""

from dataclasses import dataclass, field

from app.domain.orgtree import in_subtree
from app.domain.vocabulary import RoleName


@dataclass(frozen=True)
class Viewer:
    user_id: int
    roles: frozenset[RoleName]
    hr_scope_paths: tuple[str, ...] = field(default_factory=tuple)

    def has_role(self, role: RoleName) -> bool:
        return role in self.roles


def can_manage_unit(viewer: Viewer, unit_path: str) -> bool:
    """The HR scope rule: admins manage every unit, HR the subtrees of their scope units."""
    if viewer.has_role(RoleName.ADMIN):
        return True
    return viewer.has_role(RoleName.HR) and any(
        in_subtree(unit_path, root) for root in viewer.hr_scope_paths)


def can_view_person(viewer: Viewer, person_id: int, person_unit_path: str) -> bool:
    return viewer.user_id == person_id or can_manage_unit(viewer, person_unit_path)

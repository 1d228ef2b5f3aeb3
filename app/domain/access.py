"""Who may see which rows: the pure rule behind every data scope.

A viewer sees their own record; HR sees everyone whose unit lies in the
subtree of one of their scope units; admins see everyone. Trainers' scope
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


def can_view_person(viewer: Viewer, person_id: int, person_unit_path: str) -> bool:
    if viewer.user_id == person_id or viewer.has_role(RoleName.ADMIN):
        return True
    if viewer.has_role(RoleName.HR):
        return any(in_subtree(person_unit_path, root) for root in viewer.hr_scope_paths)
    return False

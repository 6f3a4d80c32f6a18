"""Personal data of 双报到 (see tuijin/core/privacy.py): who sees which field in full.

- A member's home address and mobile phone: the member sees their own; the staff of the community they
  registered with see them masked and may show them in full (to visit or call; each disclosure is logged);
  everyone else — their employer, the office, leaders — masked.
- A unit's registration contact phone: the unit's users see it; the community's staff and the supervision
  office may show it in full (logged); everyone else masked.
- A community's contact phone: its own staff see it; the office may show it in full (logged); others masked.
"""

from tuijin.core import privacy

from .access import scope_of
from .models import Community, MemberRegistration, Registration, mask_address


def member_access(viewer, registration: MemberRegistration) -> privacy.Access:
    if registration.member_id == viewer.pk:
        return privacy.Access.FULL
    if registration.community_id in scope_of(viewer).communities:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


def registration_phone_access(viewer, registration: Registration) -> privacy.Access:
    scope = scope_of(viewer)
    if registration.unit_id in scope.units:
        return privacy.Access.FULL
    if registration.community_id in scope.communities or scope.is_supervisor:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


def community_phone_access(viewer, community: Community) -> privacy.Access:
    scope = scope_of(viewer)
    if community.pk in scope.communities:
        return privacy.Access.FULL
    if scope.is_supervisor:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


privacy.register_field(
    MemberRegistration, "address", kind="other", mask=mask_address, access=member_access,
    purpose="The community knows where its registered party members live, to assign nearby service posts.",
)  # fmt: skip
privacy.register_field(
    MemberRegistration, "phone", kind="phone", access=member_access,
    purpose="The community calls registered members about needs and service days.",
)  # fmt: skip
privacy.register_field(
    Registration, "contact_phone", kind="phone", access=registration_phone_access,
    purpose="The community and the organisation department call the unit's contact person for 双报到.",
)  # fmt: skip
privacy.register_field(
    Community, "contact_phone", kind="phone", access=community_phone_access,
    purpose="Units and the organisation department call the community's contact person.",
)  # fmt: skip

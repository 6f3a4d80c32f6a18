"""Personal data of the coordination app: the phones on the liaison roster (see tuijin/core/privacy.py).

Like the unit's liaison record (tuijin/org/privacy.py): the supervision office sees them masked and may show
them in full — it calls the liaison officers about meetings and tasks; each disclosure is logged; the person
sees their own in full; everyone else sees them masked.
"""

from tuijin.core import privacy

from .models import LiaisonTerm


def term_phone_access(viewer, term: LiaisonTerm) -> privacy.Access:
    if term.user_id is not None and term.user_id == viewer.pk:
        return privacy.Access.FULL
    if viewer.is_supervisor:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


for _name in ("phone", "office_phone"):
    privacy.register_field(
        LiaisonTerm,
        _name,
        kind="phone",
        access=term_phone_access,
        purpose="The supervision office calls the units' liaison officers and deputies about meetings and tasks.",
    )

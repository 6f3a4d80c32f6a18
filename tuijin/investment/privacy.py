"""Personal data of the investment pipeline: the phones of enterprises' contact people.

- Investment officers keep the pipeline and call the contacts: they see the phones in full.
- The supervision office sees them masked and may show one in full (each disclosure is logged).
- Everyone else (leaders, sector unit users, the API callers of those roles) sees them masked.
"""

from tuijin.core import privacy
from tuijin.org.models import Role

from .models import Contact


def contact_phone_access(viewer, contact: Contact) -> privacy.Access:
    if viewer.has_role(Role.INVESTMENT):
        return privacy.Access.FULL
    if viewer.is_supervisor:
        return privacy.Access.REVEAL
    return privacy.Access.MASKED


privacy.register_field(
    Contact,
    "phone",
    kind="phone",
    access=contact_phone_access,
    purpose="Investment officers call the enterprise's contact person about the project.",
)

"""Organisation numbers of public bodies: python-stdnum's checks plus the public-sector rule.

DOMAIN.md §4.3: 10 digits with a Luhn check digit; stdnum checks the digits but not the group,
so we add "municipalities 2120…, regions 2321…". Region Gotland (0980 and 09) is legally a
municipality and so has a municipality's number. Stored as 10 digits, shown as NNNNNN-NNNN.
"""

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.se import orgnr

from applications.models import Organisation, OrganisationKind

MUNICIPALITY_PREFIX = "2120"
REGION_PREFIX = "2321"


class OrgNumberError(ValueError):
    """Why a number was refused: "format", "checksum" or "prefix" (the form words it)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def expected_prefix(organisation: Organisation) -> str:
    """The first four digits every organisation number of this body starts with."""
    if organisation.is_gotland or organisation.kind == OrganisationKind.MUNICIPALITY:
        return MUNICIPALITY_PREFIX
    return REGION_PREFIX


def clean_org_number(value: str, organisation: Organisation) -> str:
    """The number as 10 digits, or OrgNumberError."""
    compact = orgnr.compact(value)
    try:
        orgnr.validate(compact)
    except InvalidChecksum as error:
        raise OrgNumberError("checksum") from error
    except ValidationError as error:
        raise OrgNumberError("format") from error
    if not compact.startswith(expected_prefix(organisation)):
        raise OrgNumberError("prefix")
    return compact


def format_org_number(value: str) -> str:
    """NNNNNN-NNNN for a stored number; anything else is shown as it is."""
    return orgnr.format(value) if len(value) == 10 and value.isdigit() else value

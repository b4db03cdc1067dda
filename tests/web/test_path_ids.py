"""An id in a cabinet path is ASCII digits up to its column's limit; anything else is not found."""
from __future__ import annotations

from sqlalchemy import select

from lkk_integration.models import House


def test_an_id_in_a_path_is_ascii_digits_up_to_the_columns_limit(core, signed_in):
    """werkzeug's int converter reads «٣» as 3; an id is ASCII digits, as params.number reads
    one from a query string."""
    with core.uow() as uow:
        house_id = uow.session.scalars(select(House.id).order_by(House.id)).first()
    assert signed_in.get(f"/houses/{house_id}").status_code == 200
    arabic_indic = str(house_id).translate({ord(d): 0x0660 + int(d) for d in "0123456789"})
    assert signed_in.get(f"/houses/{arabic_indic}").status_code == 404
    assert signed_in.get("/houses/2147483648").status_code == 404

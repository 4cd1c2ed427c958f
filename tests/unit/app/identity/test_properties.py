"""Property tests: the identifier checks never raise, whatever they are given."""

from __future__ import annotations

import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.identity import check_kk, check_name, check_nik, check_region_code

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(),
    st.text(alphabet="0123456789 .-\u200b\u00a0Oo", min_size=10, max_size=24),
    st.text(alphabet="0123456789", min_size=16, max_size=16),
    st.binary(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.dates(),
    st.builds(object),
)
SETTINGS = settings(max_examples=400, deadline=None, database=None)


@SETTINGS
@given(value=anything, sex=anything, birth_date=st.one_of(anything, st.dates()), allow_pending=st.booleans())
def test_check_nik_never_raises(value: object, sex: object, birth_date: object, allow_pending: bool) -> None:
    result = check_nik(value, sex=sex, birth_date=birth_date, allow_pending=allow_pending)  # type: ignore[arg-type]
    assert result.kind in {"nik", "nik_pending"}
    assert all(f.severity == "error" for f in result.errors)
    assert all(f.severity == "warning" for f in result.warnings)
    json.dumps(result.to_dict())


@SETTINGS
@given(value=anything, today=st.dates(min_value=datetime.date(2000, 1, 1)))
def test_other_checks_never_raise(value: object, today: datetime.date) -> None:
    for result in (
        check_kk(value, today=today),
        check_region_code(value),
        check_name(value),
        check_name(value, legacy=True),
    ):
        json.dumps(result.to_dict())

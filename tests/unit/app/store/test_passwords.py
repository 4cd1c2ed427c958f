"""Password rules: at least 10 characters, not a common password; older weak passwords keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.paths import DataPaths
from app.store import Store, StoreError
from app.store.passwords import MIN_PASSWORD_LENGTH, common_passwords, password_problem
from tests.helpers.stores import OPERATOR, SUPERVISOR, new_store, with_operator


def test_minimum_is_ten_characters() -> None:
    assert MIN_PASSWORD_LENGTH == 10
    problem = password_problem("sembilan9")
    assert problem is not None and "minimal 10 karakter" in problem
    assert password_problem("tiga kata mudah") is None


@pytest.mark.parametrize("word", ["bismillah", "indonesia", "sayang", "rahasia", "password", "12345678"])
def test_indonesian_and_global_favourites_are_listed(word: str) -> None:
    assert word in common_passwords()


@pytest.mark.parametrize("password", ["1234567890", "QwertyUiop", "bismillah123", "indonesia123", "aaaaaaaaaaaa"])
def test_common_passwords_are_refused_in_words(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "umum dipakai" in problem


def test_every_way_to_set_a_password_applies_the_rules(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    with pytest.raises(StoreError, match="umum dipakai"):
        store.add_officer("budi", "Budi", "operator", "1234567890")
    with_operator(store)
    with pytest.raises(StoreError, match="minimal 10"):
        store.reset_password(OPERATOR[0], "sementara")
    with pytest.raises(StoreError, match="umum dipakai"):
        store.change_password(SUPERVISOR[2], "password123")
    store.close()


def test_an_older_short_password_still_opens_and_asks_for_a_change(tmp_path: Path) -> None:
    store = new_store(tmp_path)
    # Set before the rules: the key file accepts any password, only the store's entry points check.
    store.keyfile.wrap("sup", "lama1234", store.database_key)
    store.close()
    again = Store.unlock(DataPaths(tmp_path), "sup", "lama1234")
    assert again.must_change_password and again.password_change_reason == "weak"
    again.change_password("lama1234", "kata sandi baru yang panjang")
    assert not again.must_change_password
    again.close()
    fresh = Store.unlock(DataPaths(tmp_path), "sup", "kata sandi baru yang panjang")
    assert not fresh.must_change_password
    fresh.close()

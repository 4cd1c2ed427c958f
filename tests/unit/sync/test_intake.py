"""The server's intake rules: atomic batches, idempotency by id and content, conflicts parked, re-validation,
registration numbers, the status feed and the back-office workflow (in-process, SQLite)."""

from __future__ import annotations

import base64
import json
import re
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.client.package import Signer
from sync.protocol import ApplicationPackage, BatchRequest, EnrolRequest, FormAnswers, Reason
from sync.server import auth, workflow
from sync.server.errors import ConflictError, DocumentsMissingError, ForbiddenError, ServerError, UnauthorizedError
from sync.server.feed import changes_after
from sync.server.keys import read_package
from sync.server.models import Application, AuditLog, Batch, Conflict, Document, Event, Submission
from tests.unit.sync.conftest import Dinas, Made, device_key

REGISTRATION = re.compile(r"^3521-20261122-\d{6}$")


def batch(*packages: ApplicationPackage, batch_id: str | None = None) -> BatchRequest:
    return BatchRequest(batch_id=batch_id or str(uuid.uuid4()), items=list(packages))


def test_a_valid_revision_is_accepted_with_a_registration_number(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    [result] = dinas.intake.commit(dinas.device, batch(made.package)).results
    assert result.outcome == "accepted" and result.reasons == []
    assert result.registration_number is not None and REGISTRATION.match(result.registration_number)
    application = Application.get(Application.client_id == made.package.client_id)
    assert (application.state, application.revision) == ("received", 1)
    assert Document.select().count() == len(made.blobs)
    [change] = changes_after(dinas.device.outpost_id, 0).changes
    assert (change.state, change.cursor, change.registration_number) == ("received", 1, result.registration_number)
    assert AuditLog.select().where(AuditLog.action == "intake.accepted").count() == 1


def test_numbers_follow_each_other_per_kabupaten_and_day(dinas: Dinas, made_packages: list[Made]) -> None:
    for made in made_packages:
        dinas.store_documents(made)
    results = dinas.intake.commit(dinas.device, batch(*(m.package for m in made_packages))).results
    assert [r.registration_number for r in results] == [f"3521-20261122-{n:06d}" for n in (1, 2, 3)]


def test_the_same_item_again_is_already_accepted(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    first = dinas.intake.commit(dinas.device, batch(made.package)).results[0]
    again = dinas.intake.commit(dinas.device, batch(made.package)).results[0]
    assert again.outcome == "already_accepted"
    assert again.registration_number == first.registration_number
    renamed = made.package.model_copy(update={"item_id": str(uuid.uuid4())})
    assert dinas.intake.commit(dinas.device, batch(renamed)).results[0].outcome == "already_accepted"
    assert Submission.select().count() == 1 and Event.select().count() == 1


def test_a_repeated_batch_gets_the_first_answer_and_another_content_is_refused(
    dinas: Dinas, made_packages: list[Made]
) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    request = batch(made.package)
    first = dinas.intake.commit(dinas.device, request)
    assert dinas.intake.commit(dinas.device, request) == first
    assert Batch.select().count() == 1
    other = made_packages[1]
    dinas.store_documents(other)
    with pytest.raises(ConflictError) as raised:
        dinas.intake.commit(dinas.device, batch(other.package, batch_id=request.batch_id))
    assert raised.value.code == "batch_conflict"


def test_same_id_with_different_content_is_parked_never_dropped(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    dinas.intake.commit(dinas.device, batch(made.package))
    changed = made.package.model_copy(update={"site": "Balai Desa"})
    [result] = dinas.intake.commit(dinas.device, batch(changed)).results
    assert result.outcome == "conflict" and "supervisor" in result.message
    dinas.intake.commit(dinas.device, batch(changed))  # a retry parks nothing twice
    [parked] = Conflict.select()
    assert parked.item_id == changed.item_id and json.loads(read_package(parked))["site"] == "Balai Desa"
    assert Application.get().state == "received" and Submission.select().count() == 1


def test_a_client_id_of_another_outpost_is_a_conflict(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    dinas.intake.commit(dinas.device, batch(made.package))
    stolen = made.package.model_copy(update={"item_id": str(uuid.uuid4()), "site": "lain"})
    assert dinas.intake.commit(dinas.other, batch(stolen)).results[0].outcome == "conflict"
    replayed = dinas.intake.commit(dinas.other, batch(made.package)).results[0]
    assert replayed.outcome == "conflict", "another outpost cannot learn a registration number by replaying"
    assert changes_after(dinas.other.outpost_id, 0).changes == []


def test_a_batch_with_a_missing_document_stores_nothing(dinas: Dinas, made_packages: list[Made]) -> None:
    complete, incomplete = made_packages[0], made_packages[1]
    dinas.store_documents(complete)
    sha, data = next(iter(incomplete.blobs.items()))
    dinas.storage.append(sha, len(data), 0, data[:100])  # only part of it arrived
    with pytest.raises(DocumentsMissingError) as raised:
        dinas.intake.commit(dinas.device, batch(complete.package, incomplete.package))
    assert set(raised.value.missing) == set(incomplete.blobs)
    assert Submission.select().count() == Application.select().count() == Event.select().count() == 0


def test_invalid_answers_are_returned_with_reasons(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    form = made.package.forms[0]
    broken = made.package.model_copy(
        update={"forms": [FormAnswers(form=form.form, schema_version=form.schema_version, answers={})]}
    )
    [result] = dinas.intake.commit(dinas.device, batch(broken)).results
    assert result.outcome == "invalid" and result.registration_number is None
    assert result.reasons and all(r.path.startswith(f"{form.form}:") or r.requirement or r.path for r in result.reasons)
    assert Application.get().state == "returned"
    [change] = changes_after(dinas.device.outpost_id, 0).changes
    assert change.state == "returned" and change.reasons == result.reasons
    assert dinas.intake.commit(dinas.device, batch(broken)).results[0].outcome == "invalid"


def test_the_applicant_header_is_checked_again_with_a_reason_at_its_field(
    dinas: Dinas, made_packages: list[Made]
) -> None:
    """A NIK with day 72 in the applicant header was registered: the intake checked only the forms."""
    made = made_packages[0]
    dinas.store_documents(made)
    header = made.package.applicant.model_copy(update={"nik": "3521017205080001", "kk": "3521", "name": " "})
    broken = made.package.model_copy(update={"applicant": header})
    [result] = dinas.intake.commit(dinas.device, batch(broken)).results
    assert result.outcome == "invalid" and result.registration_number is None
    by_path = {r.path: r for r in result.reasons}
    assert {"applicant.name", "applicant.nik", "applicant.kk"} <= set(by_path)
    assert "tanggal" in by_path["applicant.nik"].message.lower()
    assert not [r for r in result.reasons if r.path.startswith(made.package.forms[0].form + ":")]


def test_unknown_service_and_form_version_are_reasons(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    form = made.package.forms[0]
    odd = made.package.model_copy(
        update={"forms": [FormAnswers(form=form.form, schema_version=f"{form.form}@PMDN999-2099", answers={})]}
    )
    codes = {r.code for r in dinas.intake.commit(dinas.device, batch(odd)).results[0].reasons}
    assert "unknown_form_version" in codes
    unknown = made_packages[1].package.model_copy(update={"service_code": "TIDAK-ADA"})
    dinas.store_documents(made_packages[1])
    [result] = dinas.intake.commit(dinas.device, batch(unknown)).results
    assert [r.code for r in result.reasons] == ["unknown_service"]


def test_a_missing_requirement_document_is_a_reason_per_requirement(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    stripped = made.package.model_copy(update={"documents": []})
    reasons = dinas.intake.commit(dinas.device, batch(stripped)).results[0].reasons
    assert reasons and all(r.code == "document_missing" and r.requirement for r in reasons)


def test_revision_two_follows_only_a_return(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    first = dinas.intake.commit(dinas.device, batch(made.package)).results[0]
    second = made.package.model_copy(update={"item_id": str(uuid.uuid4()), "revision": 2})
    assert dinas.intake.commit(dinas.device, batch(second)).results[0].outcome == "conflict"
    assert first.registration_number is not None
    workflow.act(first.registration_number, "return", "staf:uji", [Reason(requirement="kk", message="KK buram")])
    [result] = dinas.intake.commit(dinas.device, batch(second)).results
    assert result.outcome == "accepted" and result.registration_number == first.registration_number
    assert Application.get().revision == 2


def test_workflow_follows_the_lifecycle_and_is_audited(dinas: Dinas, made_packages: list[Made]) -> None:
    made = made_packages[0]
    dinas.store_documents(made)
    number = dinas.intake.commit(dinas.device, batch(made.package)).results[0].registration_number
    assert number is not None
    with pytest.raises(ConflictError, match="tidak dapat diubah"):
        workflow.act(number, "ready", "staf:uji")
    with pytest.raises(ServerError, match="Alasan wajib"):
        workflow.act(number, "reject", "staf:uji")
    for action in ("verify", "validate", "produce", "sign", "ready", "handed_over"):
        workflow.act(number, action, "staf:uji")
    assert Application.get().state == "handed_over"
    feed = changes_after(dinas.device.outpost_id, 0, limit=3)
    assert [c.cursor for c in feed.changes] == [1, 2, 3] and feed.more and feed.cursor == 3
    rest = changes_after(dinas.device.outpost_id, feed.cursor)
    assert [c.state for c in rest.changes] == ["produced", "signed", "ready", "handed_over"] and not rest.more
    assert AuditLog.select().where(AuditLog.action.startswith("workflow.")).count() == 6
    with pytest.raises(Exception, match="tidak ditemukan"):
        workflow.act("3521-20261122-999999", "verify", "staf:uji")


def test_enrolment_codes_are_one_time_and_enrolment_is_repeatable(dinas: Dinas) -> None:
    outpost = auth.add_outpost("35.21.03.2003", "Desa Baru")
    code = auth.new_enrolment_code(outpost)
    request = EnrolRequest(
        code=code.lower(),
        device_id=str(uuid.uuid4()),
        device_secret="x" * 43,
        device_name="L",
        public_key=device_key()[1],
    )
    device = auth.enrol(request)
    assert auth.enrol(request).id == device.id, "the same request again is a success"
    thief = request.model_copy(update={"device_id": str(uuid.uuid4()), "device_secret": "y" * 43})
    with pytest.raises(UnauthorizedError, match="sudah dipakai"):
        auth.enrol(thief)
    with pytest.raises(UnauthorizedError, match="tidak dikenal"):
        auth.enrol(request.model_copy(update={"code": "AAAA-BBBB-CCCC"}))
    assert auth.device_for_token("x" * 43).outpost.code == "35.21.03.2003"
    auth.revoke_device(request.device_id)
    with pytest.raises(UnauthorizedError) as raised:
        auth.device_for_token("x" * 43)
    assert raised.value.code == "device_revoked"
    with pytest.raises(ServerError, match="kode wilayah"):
        auth.add_outpost("Sukamaju", "Desa")


def test_signed_packages_are_checked_against_the_device_key(dinas: Dinas, made_packages: list[Made]) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    outpost = auth.add_outpost("35.21.04.2004", "Desa Bertanda")
    request = EnrolRequest(
        code=auth.new_enrolment_code(outpost),
        device_id=str(uuid.uuid4()),
        device_secret="k" * 43,
        device_name="Bertanda",
        public_key=base64.b64encode(public).decode(),
    )
    device = auth.device_for_token("k" * 43) if auth.enrol(request) else None
    assert device is not None
    made = made_packages[2]
    dinas.store_documents(made, device)
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    signed = Signer(raw).sign(made.package)
    with pytest.raises(ForbiddenError) as unsigned:
        dinas.intake.commit(device, batch(made.package))
    assert unsigned.value.code == "signature_missing"
    with pytest.raises(ForbiddenError) as tampered:
        dinas.intake.commit(device, batch(signed.model_copy(update={"site": "diubah"})))
    assert tampered.value.code == "bad_signature"
    assert dinas.intake.commit(device, batch(signed)).results[0].outcome == "accepted"

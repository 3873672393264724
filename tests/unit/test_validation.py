"""Untrusted JSON into records, or a plain-words reason naming the field."""
import pytest

from tests import factories

from streams.validation import InvalidEvent, decode_json, validate_cooperative, validate_filing, validate_missed


NIK = "7471010000000001"


def cooperative(**fields):
    base = factories.cooperative(NIK, name="Koperasi Simpan Pinjam Maju Bersama", kind="KSP",
                                 email="pengurus@majubersama.id")
    return {**base, **fields}


def filing(**fields):
    return {**factories.filing(NIK, 2024, filing_id=f"RAT-{NIK}-2024"), **fields}


def missed(**fields):
    return {**factories.missed(NIK, 2024), **fields}


def refusal(validate, data) -> str:
    with pytest.raises(InvalidEvent) as error:
        validate(data)
    return str(error.value)


def without(data, field):
    return {key: value for key, value in data.items() if key != field}


# decode_json

def test_a_json_object_is_decoded():
    assert decode_json(b'{"nik": "7471010000000001", "fiscal_year": 2024}') == {
        "nik": "7471010000000001", "fiscal_year": 2024
    }


def test_bytes_that_are_not_json_are_refused_as_not_json():
    assert refusal(decode_json, b"NIK;Nama Koperasi").startswith("not valid JSON")


def test_bytes_that_are_not_utf8_are_refused_as_not_json():
    assert refusal(decode_json, b'{"name": "\xff\xfe"}').startswith("not valid JSON")


def test_empty_bytes_are_refused_as_not_json():
    assert refusal(decode_json, b"").startswith("not valid JSON")


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"7471010000000001"', b"null", b"42"])
def test_json_that_is_not_an_object_is_refused(raw):
    assert refusal(decode_json, raw) == "expected a JSON object"


# validate_cooperative

def test_a_good_cooperative_is_accepted_as_given():
    record = validate_cooperative(cooperative())
    assert (record.nik, record.name, record.kind, record.level, record.membership_area, record.regency_code,
            record.email, record.status, record.fiscal_year_end) == (
        "7471010000000001", "Koperasi Simpan Pinjam Maju Bersama", "KSP", "primer", "kabupaten", "7471",
        "pengurus@majubersama.id", "aktif", "12-31",
    )


@pytest.mark.parametrize(("given", "expected"), [("ksp", "KSP"), (" Kspps ", "KSPPS"), ("Konsumen", "konsumen")])
def test_the_kind_is_matched_regardless_of_case_and_spaces(given, expected):
    assert validate_cooperative(cooperative(kind=given)).kind == expected


def test_a_status_written_as_words_is_normalised():
    assert validate_cooperative(cooperative(status="Tidak Aktif")).status == "tidak_aktif"


def test_the_level_and_membership_area_are_matched_regardless_of_case():
    record = validate_cooperative(cooperative(level="PRIMER", membership_area="Provinsi"))
    assert (record.level, record.membership_area) == ("primer", "provinsi")


def test_text_fields_are_trimmed():
    assert validate_cooperative(cooperative(name="  Koperasi Maju  ", nik=" 7471010000000001 ")).name == "Koperasi Maju"


def test_a_missing_status_means_active():
    assert validate_cooperative(without(cooperative(), "status")).status == "aktif"


def test_a_missing_fiscal_year_end_means_the_calendar_year():
    assert validate_cooperative(cooperative(fiscal_year_end="")).fiscal_year_end == "12-31"


def test_a_missing_email_is_allowed():
    assert validate_cooperative(without(cooperative(), "email")).email is None


def test_a_nik_given_as_a_number_becomes_text():
    assert validate_cooperative(cooperative(nik=7471010000000001)).nik == "7471010000000001"


def test_a_regency_code_given_as_a_number_becomes_text():
    assert validate_cooperative(cooperative(regency_code=7471)).regency_code == "7471"


def test_a_leap_day_fiscal_year_end_is_accepted():
    assert validate_cooperative(cooperative(fiscal_year_end="02-29")).fiscal_year_end == "02-29"


@pytest.mark.parametrize("field", ["nik", "name", "kind", "level", "membership_area", "regency_code"])
def test_a_missing_required_field_is_named(field):
    assert refusal(validate_cooperative, without(cooperative(), field)) == f"missing field '{field}'"


def test_a_blank_name_counts_as_missing():
    assert refusal(validate_cooperative, cooperative(name="   ")) == "missing field 'name'"


def test_a_name_that_is_not_text_is_refused():
    assert refusal(validate_cooperative, cooperative(name=["Koperasi"])) == "'name' must be text"


@pytest.mark.parametrize("nik", ["747101000000001", "74710100000000012", "7471-0100-0000-0001", "74710100000000AB"])
def test_a_nik_that_is_not_sixteen_digits_is_refused_with_the_value(nik):
    assert refusal(validate_cooperative, cooperative(nik=nik)) == f"NIK must be 16 digits, not '{nik}'"


def test_a_nik_written_in_arabic_indic_digits_is_refused():
    with pytest.raises(InvalidEvent):
        validate_cooperative(cooperative(nik="\u0667\u0664\u0667\u0661" + "\u0660" * 11 + "\u0661"))


def test_an_unknown_kind_is_refused_with_the_choices():
    assert refusal(validate_cooperative, cooperative(kind="bank")) == (
        "'kind' must be one of KSP, KSPPS, produsen, konsumen, pemasaran, jasa, not 'bank'"
    )


def test_an_unknown_status_is_refused_naming_the_field():
    assert refusal(validate_cooperative, cooperative(status="bangkrut")).startswith("'status' must be one of")


def test_an_unknown_regency_code_is_refused():
    assert refusal(validate_cooperative, cooperative(regency_code="7499")) == (
        "unknown regency code '7499' (expected a 4-digit Kemendagri code like 7471)"
    )


def test_a_three_digit_regency_code_is_refused_naming_what_was_typed():
    assert refusal(validate_cooperative, cooperative(regency_code="101")).startswith("unknown regency code '101'")


def test_the_dotted_kemendagri_form_of_a_regency_code_is_accepted():
    assert validate_cooperative(cooperative(regency_code="74.71")).regency_code == "7471"


@pytest.mark.parametrize("email", ["pengurus", "pengurus@majubersama", "pengurus @maju.id", "a@b@c.id"])
def test_a_bad_email_is_refused_naming_the_field(email):
    assert refusal(validate_cooperative, cooperative(email=email)) == f"'email' is not an email address: '{email}'"


@pytest.mark.parametrize("value", ["13-45", "02-30", "12/31", "2-28", "31-12", "akhir Desember"])
def test_a_fiscal_year_end_that_is_not_a_day_of_the_year_is_refused(value):
    assert refusal(validate_cooperative, cooperative(fiscal_year_end=value)) == (
        f"'fiscal_year_end' must be a day as MM-DD, like 12-31, not '{value}'"
    )


# validate_filing

def test_a_good_filing_is_accepted_as_given():
    record = validate_filing(filing())
    assert (record.filing_id, record.nik, record.fiscal_year, record.rat_date, record.submitted_at, record.members,
            record.assets, record.shu) == (
        "RAT-7471010000000001-2024", "7471010000000001", 2024, "2025-03-15", "2025-03-20T10:00:00+08:00", 120,
        "500000000.00", "25000000.00",
    )


@pytest.mark.parametrize(("given", "expected"), [
    ("1250000", "1250000.00"),
    (1250000, "1250000.00"),
    ("1250000.5", "1250000.50"),
    (" 1250000.00 ", "1250000.00"),
    (0, "0.00"),
])
def test_amounts_are_written_with_two_decimals(given, expected):
    assert validate_filing(filing(assets=given)).assets == expected


def test_a_loss_is_kept_negative():
    assert validate_filing(filing(shu="-2500000")).shu == "-2500000.00"


def test_numbers_given_as_text_are_accepted():
    record = validate_filing(filing(fiscal_year="2024", members=" 120 "))
    assert (record.fiscal_year, record.members) == (2024, 120)


def test_a_submission_time_in_utc_with_z_is_accepted():
    assert validate_filing(filing(submitted_at="2025-03-20T02:00:00Z")).submitted_at == "2025-03-20T02:00:00+00:00"


def test_a_rat_date_given_with_a_time_keeps_the_date():
    assert validate_filing(filing(rat_date="2025-03-15T09:00:00+08:00")).rat_date == "2025-03-15"


@pytest.mark.parametrize("field", ["assets", "liabilities", "equity", "business_volume", "shu"])
def test_a_missing_amount_is_named(field):
    assert refusal(validate_filing, without(filing(), field)) == f"missing field '{field}'"


@pytest.mark.parametrize("amount", ["Rp 1.250.000", "1.250.000", "1,250,000", "satu juta"])
def test_an_amount_written_for_people_is_refused_with_an_example(amount):
    assert refusal(validate_filing, filing(assets=amount)) == (
        f"'assets' must be a rupiah amount like \"1250000.00\", not '{amount}'"
    )


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_an_amount_that_is_not_finite_is_refused(amount):
    assert refusal(validate_filing, filing(equity=amount)).startswith("'equity' must be an amount below Rp")


def test_a_boolean_amount_is_refused():
    assert "'shu'" in refusal(validate_filing, filing(shu=True))


@pytest.mark.parametrize("amount", ["1e30", "9" * 27, 1e30])
def test_an_absurdly_large_amount_is_refused_in_plain_words(amount):
    assert "'assets'" in refusal(validate_filing, filing(assets=amount))


def test_a_missing_filing_id_is_named():
    assert refusal(validate_filing, without(filing(), "filing_id")) == "missing field 'filing_id'"


def test_a_filing_id_longer_than_64_characters_is_refused():
    assert refusal(validate_filing, filing(filing_id="F" * 65)) == "'filing_id' is longer than 64 characters"


def test_a_filing_id_of_64_characters_is_accepted():
    assert validate_filing(filing(filing_id="F" * 64)).filing_id == "F" * 64


def test_a_filing_with_a_bad_nik_is_refused():
    assert refusal(validate_filing, filing(nik="123")) == "NIK must be 16 digits, not '123'"


@pytest.mark.parametrize("year", [1989, 2101])
def test_a_fiscal_year_out_of_range_is_refused(year):
    assert refusal(validate_filing, filing(fiscal_year=year)) == f"'fiscal_year' {year} is out of range"


def test_a_fiscal_year_that_is_not_a_number_is_refused():
    assert refusal(validate_filing, filing(fiscal_year="2024/2025")) == (
        "'fiscal_year' must be a whole number, not '2024/2025'"
    )


def test_a_negative_member_count_is_refused():
    assert refusal(validate_filing, filing(members=-1)) == "'members' must be at least 0, not -1"


def test_a_member_count_in_words_is_refused():
    assert refusal(validate_filing, filing(members="seratus")) == "'members' must be a whole number, not 'seratus'"


def test_a_missing_member_count_is_named():
    assert refusal(validate_filing, filing(members="")) == "missing field 'members'"


def test_a_rat_date_in_indonesian_order_is_refused_naming_the_field():
    assert refusal(validate_filing, filing(rat_date="15/03/2025")) == (
        "'rat_date' must be a date like 2025-06-30, not '15/03/2025'"
    )


def test_a_submission_time_without_an_offset_is_refused():
    assert refusal(validate_filing, filing(submitted_at="2025-03-20T10:00:00")) == (
        "'submitted_at' must carry a UTC offset, e.g. +07:00"
    )


def test_a_submission_date_without_a_time_is_refused_for_lack_of_an_offset():
    assert refusal(validate_filing, filing(submitted_at="2025-03-20")) == (
        "'submitted_at' must carry a UTC offset, e.g. +07:00"
    )


def test_a_submission_time_that_is_not_a_time_is_refused_naming_the_field():
    assert refusal(validate_filing, filing(submitted_at="kemarin")).startswith("'submitted_at' must be an RFC 3339 time")


# validate_missed

def test_a_good_missed_rat_event_is_accepted():
    record = validate_missed(missed())
    assert (record.nik, record.fiscal_year, record.deadline, record.detected_at) == (
        "7471010000000001", 2024, "2025-07-31", "2025-08-01T00:05:00+07:00"
    )


def test_a_missed_rat_event_without_a_deadline_is_refused():
    assert refusal(validate_missed, without(missed(), "deadline")) == "missing field 'deadline'"


def test_a_missed_rat_event_with_a_naive_detection_time_is_refused():
    assert refusal(validate_missed, missed(detected_at="2025-08-01T00:05:00")) == (
        "'detected_at' must carry a UTC offset, e.g. +07:00"
    )


def test_a_missed_rat_event_with_a_bad_deadline_is_refused():
    assert refusal(validate_missed, missed(deadline="2025-02-30")).startswith("'deadline' must be a date")

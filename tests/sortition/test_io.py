"""Readers: the three layouts, encodings, separators, case, and every error code."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tirage.sortition.errors import InputError
from tirage.sortition.io import (
    Layout,
    detect_layout,
    instance_from_rows,
    read_features,
    read_instance,
    read_people,
)
from tirage.sortition.model import Quota, normalise_key

DATA = Path(__file__).resolve().parents[2] / "data" / "sortition"
SF = DATA / "sortition_algorithms_fixture_150"
SMALL = DATA / "citizensassemblies_example_small_20"
LARGE = DATA / "citizensassemblies_example_large_200"
CIVIC = DATA / "civic_synth_400_k20"

FEATURES = "feature,value,min,max\nsecteur,Nord,1,2\nsecteur,Sud,1,2\ngenre,F,1,2\ngenre,H,0,2\n"
PEOPLE = "id,nom,secteur,genre\nA1,Alice,Nord,F\nA2,Bruno,Sud,H\nA3,Chloé,Sud,F\n"


def write(tmp_path: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def load(tmp_path: Path, features: str = FEATURES, people: str = PEOPLE, **kwargs):
    kwargs.setdefault("seats", 2)
    return read_instance(
        write(tmp_path, "features.csv", features), write(tmp_path, "people.csv", people), **kwargs
    )


def error_of(
    tmp_path: Path, features: str = FEATURES, people: str = PEOPLE, **kwargs
) -> InputError:
    with pytest.raises(InputError) as info:
        load(tmp_path, features, people, **kwargs)
    return info.value


# --- shipped instances -------------------------------------------------------------------


def test_sortition_foundation_fixture():
    instance = read_instance(SF / "features.csv", SF / "candidates.csv", seats=22)
    assert instance.n == 150
    assert instance.seats == 22
    assert [f.name for f in instance.features] == [
        "gender",
        "age_bracket",
        "edu_level",
        "geo_bucket",
    ]
    assert sum(len(f.quotas) for f in instance.features) == 20
    gender = instance.feature("gender")
    assert gender.label == "Gender"
    assert gender.value_labels["non-binary or other"] == "Non-binary or other"
    # features.csv line 2: Gender,Female,11,12,0,12
    assert gender.quotas["female"] == Quota(11, 12, min_flex=0, max_flex=12)
    # candidates.csv line 2: p0 ... Male,30-44,South Scotland,Level 4 and above
    p0 = instance.people[0]
    assert p0.id == "p0"
    assert dict(p0.values) == {
        "gender": "male",
        "age_bracket": "30-44",
        "edu_level": "level 4 and above",
        "geo_bucket": "south scotland",
    }
    assert p0.household is None
    # privacy: names, e-mails, phone numbers, addresses are not kept anywhere
    assert "email0" not in repr(instance)
    assert "first_name0" not in repr(instance)


def test_lower_case_candidates_give_the_same_instance():
    upper = read_instance(SF / "features.csv", SF / "candidates.csv", seats=22)
    lower = read_instance(SF / "features.csv", SF / "candidates_lower.csv", seats=22)
    assert lower.people == upper.people
    assert lower.features == upper.features


def test_nature_small_row_number_ids():
    instance = read_instance(SMALL / "categories.csv", SMALL / "respondents.csv", seats=20)
    assert instance.n == 200
    assert instance.ids[:3] == ("1", "2", "3")
    assert instance.ids[-1] == "200"
    # respondents.csv lines 2-3: female,conservative / female,liberal; last line: male,conservative
    assert dict(instance.people[0].values) == {"gender": "female", "leaning": "conservative"}
    assert dict(instance.people[1].values) == {"gender": "female", "leaning": "liberal"}
    assert dict(instance.people[-1].values) == {"gender": "male", "leaning": "conservative"}
    assert instance.feature("gender").quotas["female"] == Quota(9, 20)


def test_nature_large_without_trailing_newline():
    instance = read_instance(LARGE / "categories.csv", LARGE / "respondents.csv", seats=200)
    assert instance.n == 2000
    assert instance.ids[-1] == "2000"
    assert instance.feature("leaning").quotas["conservative"] == Quota(99, 200)


def test_civic_synth_counts_from_provenance():
    instance = read_instance(
        CIVIC / "features.csv",
        CIVIC / "people.csv",
        seats=20,
        household_columns=("address", "postcode"),
    )
    assert instance.n == 400
    counts = instance.counts()
    # PROVENANCE.md "Pool counts"
    expected = {
        ("neighbourhood", "centre"): 74,
        ("neighbourhood", "gare"): 63,
        ("neighbourhood", "ouest"): 61,
        ("neighbourhood", "nord"): 52,
        ("neighbourhood", "sud"): 48,
        ("neighbourhood", "port"): 46,
        ("neighbourhood", "est"): 42,
        ("neighbourhood", "colline"): 14,
        ("gender", "female"): 237,
        ("gender", "male"): 152,
        ("gender", "non-binary"): 11,
        ("age", "16-29"): 46,
        ("age", "30-44"): 101,
        ("age", "45-64"): 148,
        ("age", "65+"): 105,
    }
    assert {key: counts[key] for key in expected} == expected
    # PROVENANCE.md: 29 addresses are shared by 2-3 applicants
    sizes = Counter(p.household for p in instance.people)
    shared = [size for size in sizes.values() if size >= 2]
    assert len(shared) == 29
    assert set(shared) <= {2, 3}
    assert instance.people[0].id == "A0258"
    assert instance.people[0].household == "h1"  # opaque: no address in the Instance
    assert "rue exemple" not in repr(instance)


def test_layout_detection():
    assert detect_layout(["feature", "value", "min", "max"]) is Layout.TIRAGE
    assert detect_layout(["Feature", "Value", "min", "max", "label"]) is Layout.TIRAGE
    assert detect_layout(["feature", "value", "min", "max", "min_flex", "max_flex"]) is (
        Layout.SORTITION_FOUNDATION
    )
    assert detect_layout(["category", "name", "min", "max"]) is Layout.SORTITION_FOUNDATION
    assert detect_layout(["category", "feature", "min", "max"]) is Layout.NATURE
    assert detect_layout(["a", "b"]) is None


# --- encodings, separators, case ---------------------------------------------------------

HENIN_FEATURES = "feature,value,min,max\nville,Hénin-Beaumont,0,1\nville,Liévin,0,1\n"
HENIN_PEOPLE = "id,ville\n1,Hénin-Beaumont\n2,LIÉVIN\n3,hénin-beaumont\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings(tmp_path, encoding):
    features = write(tmp_path, "f.csv", HENIN_FEATURES, encoding)
    people = write(tmp_path, "p.csv", HENIN_PEOPLE, encoding)
    instance = read_instance(features, people, seats=1)
    ville = instance.feature("ville")
    assert ville.values == ("hénin-beaumont", "liévin")
    assert ville.value_labels["hénin-beaumont"] == "Hénin-Beaumont"
    assert [p.values["ville"] for p in instance.people] == [
        "hénin-beaumont",
        "liévin",
        "hénin-beaumont",
    ]
    assert instance.ids == ("1", "2", "3")  # the BOM is not glued to the "id" header


def test_mixed_utf8_and_cp1252_is_named(tmp_path):
    # Regression: the whole file was read as Windows-1252, so the UTF-8 "né" of line 2
    # became "nÃ©" and was reported as an unknown value.
    features = FEATURES.replace("genre,H,0,2", "genre,H,0,2\ngenre,né,0,2")
    raw = "id,secteur,genre\nA1,Nord,né\nA2,Sud,H\n".encode() + "A3,Sud,né\n".encode("cp1252")
    error = error_of(tmp_path, features=features, people=raw)
    assert_error(error, "undecodable", "people.csv", 4, None)
    assert "mixes encodings: line 2 is UTF-8 but byte 0xe9 here is not" in str(error)
    assert error.params["value"] == "0xe9"


def test_cp1252_only_characters(tmp_path):
    # "€" and "œ" are 0x80 and 0x9C in Windows-1252, not Latin-1 letters.
    features = write(tmp_path, "f.csv", "feature,value,min,max\nvœu,5 €,0,1\n", "cp1252")
    people = write(tmp_path, "p.csv", "id,vœu\nx,5 €\n", "cp1252")
    instance = read_instance(features, people, seats=1)
    assert instance.people[0].values == {"vœu": "5 €"}


def test_semicolon_and_spaces_and_case(tmp_path):
    instance = load(
        tmp_path,
        features="Feature ; Value ; Min ; Max\n SECTEUR ; nord ; 1 ; 2\nsecteur;SUD;1;2\n",
        people="ID;Secteur\n a ; Nord \nb;sud\n",
        seats=1,
    )
    assert instance.features[0].name == "secteur"
    assert instance.features[0].label == "SECTEUR"
    assert instance.features[0].value_labels == {"nord": "nord", "sud": "SUD"}
    assert [(p.id, p.values["secteur"]) for p in instance.people] == [("a", "nord"), ("b", "sud")]


def test_excel_sep_line(tmp_path):
    # Excel's "sep=;" hint line counts as line 1: the header is line 2, A2 is line 4
    people = "sep=;\nid;secteur;genre\nA1;Nord;F\nA2;Est;H\n"
    error = error_of(tmp_path, people=people)
    assert (error.code, error.params["row"], error.params["column"]) == (
        "unknown_value",
        4,
        "secteur",
    )


def test_tab_separator(tmp_path):
    instance = load(tmp_path, FEATURES.replace(",", "\t"), PEOPLE.replace(",", "\t"))
    assert instance.n == 3


def test_label_column(tmp_path):
    features = "feature,value,min,max,label\nsecteur,n,0,1,Quartier Nord\nsecteur,s,0,1,\n"
    instance = load(tmp_path, features, "id,secteur\n1,N\n", seats=1)
    assert instance.feature("secteur").value_labels == {"n": "Quartier Nord", "s": "s"}


def test_extra_columns_dropped_and_id_column_named(tmp_path):
    people = "numero,email,secteur,genre\n7,a@b.fr,Nord,F\n8,c@d.fr,Sud,H\n"
    instance = load(tmp_path, people=people, id_column="Numero")
    assert instance.ids == ("7", "8")
    assert set(instance.people[0].values) == {"secteur", "genre"}
    assert "a@b.fr" not in repr(instance)


def test_quoted_multiline_cell_keeps_line_numbers(tmp_path):
    people = 'id,adresse,secteur,genre\nA1,"12 rue X\nApt 3",Nord,F\nA2,x,Est,H\n'
    error = error_of(tmp_path, people=people)
    # header = line 1, A1 spans lines 2-3, A2 is on line 4
    assert (error.code, error.params["row"]) == ("unknown_value", 4)


def test_unclosed_quote_is_refused_not_swallowing_the_rest(tmp_path):
    # Regression: a quote never closed in the last column made one cell of the rest of
    # the file, and the pool silently lost everybody after it.
    people = 'id,secteur,genre,nom\nA1,Nord,F,Alice\nA2,Sud,H,"Bruno\nA3,Sud,F,Chloé\n'
    error = error_of(tmp_path, people=people)
    assert_error(error, "bad_csv", "people.csv", 3, None)
    assert "never closed" in str(error)
    # ... and when a later quote "closes" it, rows in between are not lost either
    people = 'id,secteur,genre,nom\nA1,Nord,F,"Al\nA2,Sud,H,B\nA3,Sud,F,"Ch""loé"\n'
    assert_error(error_of(tmp_path, people=people), "bad_csv", "people.csv", 2, None)


def test_quotes_inside_unquoted_cells_and_doubled_quotes_are_fine(tmp_path):
    people = 'id,secteur,genre,nom\nA1,Nord,F,12 "bis" rue\nA2,Sud,H,"Bru, ""no"""\n'
    assert load(tmp_path, people=people).ids == ("A1", "A2")


def test_households_from_columns(tmp_path):
    people = (
        "id,adresse,cp,secteur,genre\n"
        "1,12 bd de Paris,59100,Nord,F\n"
        '2,"12, Boulevard de Paris",59100,Sud,H\n'
        "3,,59100,Sud,F\n"
        "4,,59100,Sud,F\n"
        "5,12 bd de Paris apt 2,59100,Nord,H\n"
        "6,12 BD DE PARIS,59100,Sud,H\n"
    )
    instance = load(tmp_path, people=people, household_columns=("adresse", "cp"))
    keys = [p.household for p in instance.people]
    # 1, 2 and 6 share "12 boulevard paris 59100"; 5 lives in flat 2; 3 and 4 gave no address
    assert keys == ["h1", "h1", None, None, "h2", "h1"]
    assert "paris" not in repr(instance).lower()


def test_instance_from_rows_matches_files(tmp_path):
    from_files = load(tmp_path)
    from_rows = instance_from_rows(
        [
            {"feature": "secteur", "value": "Nord", "min": 1, "max": 2},
            {"feature": "secteur", "value": "Sud", "min": "1", "max": "2"},
            {"feature": "genre", "value": "F", "min": 1, "max": 2},
            {"feature": "genre", "value": "H", "min": 0, "max": 2},
        ],
        [
            {"id": "A1", "nom": "Alice", "secteur": "Nord", "genre": "F"},
            {"id": "A2", "nom": "Bruno", "secteur": "Sud", "genre": "H"},
            {"id": "A3", "nom": "Chloé", "secteur": "sud", "genre": "f"},
        ],
        seats=2,
    )
    assert from_rows.people == from_files.people
    assert from_rows.features == from_files.features


def test_instance_from_rows_error_row_is_index_plus_two():
    with pytest.raises(InputError) as info:
        instance_from_rows(
            [{"feature": "g", "value": "a", "min": 0, "max": 1}],
            [{"id": 1, "g": "a"}, {"id": 2, "g": "b"}],
            seats=1,
            people_name="applications",
        )
    assert info.value.code == "unknown_value"
    assert info.value.params["row"] == 3
    assert info.value.params["file"] == "applications"


# --- errors --------------------------------------------------------------------------------


def assert_error(error: InputError, code: str, file: str, row: int | None, column: str | None):
    assert error.code == code
    assert error.params["file"] == file
    assert error.params["row"] == row
    assert error.params["column"] == column
    message = str(error)
    assert message.startswith(file)
    if row is not None:
        assert f"line {row}" in message
    if column is not None:
        assert f"column {column!r}" in message


def test_unknown_value(tmp_path):
    people = "id,secteur,genre\nA1,Nord,F\nA2,Est,H\n"
    error = error_of(tmp_path, people=people)
    assert_error(error, "unknown_value", "people.csv", 3, "secteur")
    assert error.params["value"] == "Est"
    assert "'Est' has no quota" in str(error)
    assert "known values: Nord, Sud" in str(error)


def test_empty_value_is_unknown(tmp_path):
    error = error_of(tmp_path, people="id,secteur,genre\nA1,Nord,\n")
    assert_error(error, "unknown_value", "people.csv", 2, "genre")
    assert "is empty" in str(error)


def test_duplicate_id(tmp_path):
    error = error_of(tmp_path, people="id,secteur,genre\nA1,Nord,F\nA2,Sud,H\nA1,Sud,F\n")
    assert_error(error, "duplicate_id", "people.csv", 4, "id")
    assert error.params["value"] == "A1"
    assert "already used on line 2" in str(error)


def test_missing_feature_column(tmp_path):
    error = error_of(tmp_path, people="id,secteur\nA1,Nord\n")
    assert_error(error, "missing_column", "people.csv", 1, "genre")


def test_missing_id_column(tmp_path):
    error = error_of(tmp_path, people="nom,secteur,genre\nAlice,Nord,F\n")
    assert_error(error, "missing_column", "people.csv", 1, "id")
    assert "nationbuilder_id" in str(error)


def test_missing_named_id_column(tmp_path):
    error = error_of(tmp_path, id_column="numero")
    assert_error(error, "missing_column", "people.csv", 1, "numero")


def test_missing_household_column(tmp_path):
    error = error_of(tmp_path, household_columns=("adresse",))
    assert_error(error, "missing_column", "people.csv", 1, "adresse")


def test_missing_features_column(tmp_path):
    error = error_of(tmp_path, features="feature,value,min\nsecteur,Nord,1\n")
    assert_error(error, "missing_column", "features.csv", 1, "max")
    error = error_of(tmp_path, features="nom,valeur,min,max\nsecteur,Nord,1,2\n")
    assert_error(error, "missing_column", "features.csv", 1, "feature")


def test_duplicate_column(tmp_path):
    error = error_of(tmp_path, people="id,secteur,Secteur,genre\nA1,Nord,Sud,F\n")
    assert_error(error, "duplicate_column", "people.csv", 1, "secteur")


def test_empty_pool(tmp_path):
    error = error_of(tmp_path, people="id,secteur,genre\n\n")
    assert_error(error, "empty_pool", "people.csv", None, None)


def test_bad_number(tmp_path):
    features = "feature,value,min,max\nsecteur,Nord,1,2\nsecteur,Sud,deux,3\n"
    error = error_of(tmp_path, features=features)
    assert_error(error, "bad_number", "features.csv", 3, "min")
    assert error.params["value"] == "deux"
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,Nord,1,2.5\n")
    assert_error(error, "bad_number", "features.csv", 2, "max")
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,Nord,,2\n")
    assert_error(error, "bad_number", "features.csv", 2, "min")


def test_a_directory_is_named_in_the_error(tmp_path):
    with pytest.raises(InputError) as info:
        read_features(".")
    assert info.value.code == "unreadable"
    assert str(info.value).startswith(".: cannot read the file")


def test_huge_number_is_refused(tmp_path):
    # Regression: 10**22 reached numpy (OverflowError, an internal error in the CLI).
    features = "feature,value,min,max\nsecteur,Nord,1,99999999999999999999999\n"
    error = error_of(tmp_path, features=features)
    assert_error(error, "bad_number", "features.csv", 2, "max")
    assert "too large" in str(error)
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,Nord,1," + "9" * 5000)
    assert_error(error, "bad_number", "features.csv", 2, "max")
    features = "feature,value,min,max\nsecteur,Nord,0001,1000000000\nsecteur,Sud,0,2\n"
    assert load(tmp_path, features=features).feature("secteur").quotas["nord"] == Quota(1, 10**9)


def test_bad_quota(tmp_path):
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,Nord,5,3\n")
    assert_error(error, "bad_quota", "features.csv", 2, "min")
    assert "min 5 is greater than max 3" in str(error)
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,Nord,1,2\ng,x,-1,2\n")
    assert_error(error, "bad_quota", "features.csv", 3, "min")
    assert "negative" in str(error)
    features = "feature,value,min,max,min_flex,max_flex\nsecteur,Nord,1,2,2,3\n"
    error = error_of(tmp_path, features=features)
    assert_error(error, "bad_quota", "features.csv", 2, "min_flex")
    features = "feature,value,min,max,min_flex,max_flex\nsecteur,Nord,1,2,0,1\n"
    error = error_of(tmp_path, features=features)
    assert_error(error, "bad_quota", "features.csv", 2, "max_flex")


def test_duplicate_quota(tmp_path):
    features = "feature,value,min,max\nsecteur,Nord,1,2\nsecteur,Sud,1,2\nSecteur, nord ,0,1\n"
    error = error_of(tmp_path, features=features)
    assert_error(error, "duplicate_quota", "features.csv", 4, "value")
    assert "already has a quota on line 2" in str(error)


def test_empty_cell_in_features(tmp_path):
    error = error_of(tmp_path, features="feature,value,min,max\nsecteur,,1,2\n")
    assert_error(error, "empty_cell", "features.csv", 2, "value")


def test_empty_files(tmp_path):
    error = error_of(tmp_path, features="")
    assert_error(error, "empty_file", "features.csv", None, None)
    error = error_of(tmp_path, features="feature,value,min,max\n")
    assert_error(error, "empty_file", "features.csv", None, None)
    error = error_of(tmp_path, people=" \n\n")
    assert_error(error, "empty_file", "people.csv", None, None)


def test_undecodable(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid UTF-8: line 3
    people = b"id,secteur,genre\nA1,Nord,F\nA2,Sud\x81,H\n"
    error = error_of(tmp_path, people=people)
    assert_error(error, "undecodable", "people.csv", 3, None)
    assert error.params["value"] == "0x81"
    error = error_of(tmp_path, people=b"PK\x03\x04\x14\x00\x06\x00")
    assert error.code == "undecodable"
    assert "export it as CSV" in str(error)
    error = error_of(tmp_path, people=b"id,secteur,genre\nA1,No\x00rd,F\n")
    assert_error(error, "undecodable", "people.csv", 2, None)


def test_bad_row(tmp_path):
    people = "id,secteur,genre\nA1,Nord,F\nA2,Sud,H,Level 2, 3\n"
    error = error_of(tmp_path, people=people)
    assert_error(error, "bad_row", "people.csv", 3, None)


def test_trailing_empty_cells_are_fine(tmp_path):
    instance = load(tmp_path, people="id;secteur;genre;\nA1;Nord;F;;\n")
    assert instance.ids == ("A1",)


def test_empty_id(tmp_path):
    error = error_of(tmp_path, people="id,secteur,genre\nA1,Nord,F\n,Sud,H\n")
    assert_error(error, "empty_id", "people.csv", 3, "id")


def test_unreadable(tmp_path):
    with pytest.raises(InputError) as info:
        read_features(tmp_path / "nope.csv")
    assert info.value.code == "unreadable"


def test_numpy_seats(tmp_path):
    import numpy as np

    assert load(tmp_path, seats=np.int64(2)).seats == 2


@pytest.mark.parametrize("seats", [0, -3, True, 2.0, "2"])
def test_bad_seats(tmp_path, seats):
    assert error_of(tmp_path, seats=seats).code == "bad_seats"


def test_read_people_with_row_ids(tmp_path):
    features = read_features(write(tmp_path, "c.csv", "category,feature,min,max\ng,a,0,1\n"))
    people = read_people(write(tmp_path, "r.csv", "g\na\n\nA\n"), features, row_ids=True)
    # blank lines are skipped: ids count data rows, not lines
    assert [p.id for p in people] == ["1", "2"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    features=st.binary(max_size=80) | st.text(alphabet=',;\n"é-0123abmixnfvlue ', max_size=60),
    people=st.binary(max_size=80) | st.text(alphabet=',;\n"é0123abidgx ', max_size=60),
)
def test_garbage_raises_only_input_error(tmp_path, features, people):
    try:
        load(tmp_path, features=features, people=people, seats=1)
    except InputError as error:
        assert error.code and str(error)


def test_instance_from_rows_nature_layout_numbers_rows():
    instance = instance_from_rows(
        [{"category": "gender", "feature": "female", "min": 1, "max": 1}],
        [{"gender": "Female"}, {"gender": "female"}],
        seats=1,
    )
    assert instance.ids == ("1", "2")


# --- property: write any small instance as CSV, read it back -----------------------------

WORD = st.text(alphabet="abcdeéèàçœ€ -'", min_size=1, max_size=8).filter(lambda w: w.strip())


@st.composite
def csv_instances(draw):
    names = draw(st.lists(WORD, min_size=1, max_size=3, unique_by=normalise_key))
    features = []
    for name in names:
        values = draw(st.lists(WORD, min_size=1, max_size=3, unique_by=normalise_key))
        quotas = []
        for value in values:
            low = draw(st.integers(0, 5))
            quotas.append((value, low, draw(st.integers(low, 9))))
        features.append((f"f {name}", quotas))
    people = []
    for i in range(draw(st.integers(1, 6))):
        row = {}
        for name, quotas in features:
            value = draw(st.sampled_from([v for v, _, _ in quotas]))
            row[name] = draw(st.sampled_from([value, value.upper(), f"  {value.lower()} "]))
        people.append((f"id{i}", row))
    layout = draw(st.sampled_from(["tirage", "nature"]))
    separator = draw(st.sampled_from([",", ";", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return features, people, layout, separator, encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def to_csv(rows: list[list[str]], separator: str) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(csv_instances())
def test_written_instances_read_back(tmp_path, case):
    features, people, layout, separator, encoding = case
    header = ["feature", "value", "min", "max"] if layout == "tirage" else [
        "category", "feature", "min", "max"]  # fmt: skip
    f_rows = [header] + [[n, v, str(lo), str(hi)] for n, q in features for v, lo, hi in q]
    names = [n for n, _ in features]
    p_rows = [["nom", *names] if layout == "nature" else ["id", "nom", *names]]
    for pid, row in people:
        cells = [row[n] for n in names]
        p_rows.append(["X", *cells] if layout == "nature" else [pid, "X", *cells])
    f_text, p_text = to_csv(f_rows, separator), to_csv(p_rows, separator)
    if encoding == "cp1252":
        # The reader tries UTF-8 first, by design: Windows-1252 bytes that happen to be
        # valid UTF-8 too ("çœœ" is E7 9C 9C, UTF-8 for "眜") cannot be told apart.
        assume(not any(_is_utf8(t.encode("cp1252")) and not t.isascii()
                       for t in (f_text, p_text)))  # fmt: skip
    f_path = write(tmp_path, "f.csv", f_text, encoding)
    p_path = write(tmp_path, "p.csv", p_text, encoding)
    instance = read_instance(f_path, p_path, seats=1)

    assert [f.label for f in instance.features] == [n.strip() for n in names]
    for feature, (_, quotas) in zip(instance.features, features, strict=True):
        assert feature.values == tuple(normalise_key(v) for v, _, _ in quotas)
        assert [feature.value_labels[normalise_key(v)] for v, _, _ in quotas] == [
            v.strip() for v, _, _ in quotas
        ]
        assert [(q.min, q.max) for q in feature.quotas.values()] == [
            (lo, hi) for _, lo, hi in quotas
        ]
    expected_ids = [str(i + 1) for i in range(len(people))] if layout == "nature" else [
        pid for pid, _ in people]  # fmt: skip
    assert list(instance.ids) == expected_ids
    for person, (_, row) in zip(instance.people, people, strict=True):
        assert dict(person.values) == {normalise_key(n): normalise_key(row[n]) for n in names}

"""``import survey``: CSV and XLSX, column names as people write them, answer labels, all or nothing."""

import csv

import pytest
from openpyxl import Workbook

from mpp_planner.commands import History
from mpp_planner.importers import ImportRefused
from mpp_planner.importers.survey import preview, prepare
from mpp_planner.reads import survey as reads
from tests.conftest import reopen
from tests.helpers import file_rows

QUESTION_3 = "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"


def write(path, rows):
    if path.suffix == ".xlsx":
        wb = Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    else:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
    return path


def forms_in(project, period):
    pid = reads.period_id_named(project, period)
    return reads.responses(project, pid) if pid else []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_u_columns_with_indonesian_headers(demo_project, tmp_path, suffix):
    src = write(tmp_path / f"r{suffix}", [
        ["No", "Tanggal", "Jenis Kelamin", "Umur", "Pendidikan", "Pekerjaan", "Instansi", "Layanan",
         *[f"U{i}" for i in range(1, 10)], "Saran"],
        [1001, "05/03/2024", "Perempuan", 34, "sma/smk", "Wiraswasta", "Samsat", "", 4, 3, 2, 4, 3, 3, 4, 3, 2, "AC"],
        [1002, "2024-03-06", "L", "", "S1", "", "Dispendukcapil", "Akta Kelahiran", 3, 3, 3, 4, 3, "", 4, 3, 1, ""]])
    History(demo_project).push(prepare(demo_project, src, period="2024 Semester I"))
    project = reopen(demo_project)
    try:
        new = [r for r in forms_in(project, "2024 Semester I") if r.number in (1001, 1002)]
        assert len(new) == 2 and len(forms_in(project, "2024 Semester I")) == 154
        first = next(r for r in new if r.date.day == 5)
        assert first.gender == "P" and first.age_band == "30–39 tahun" and first.education == "SMA/SMK"
        assert first.answers == [4, 3, 2, 4, 3, 3, 4, 3, 2]
        second = next(r for r in new if r.date.day == 6)
        assert second.answers[5] is None and second.service_id is not None
    finally:
        project.close()


def test_unsur_names_question_headers_and_answer_labels_english_headers(demo_project, tmp_path):
    header = ["Timestamp", "Gender", "Age", "Education", "Occupation", "Agency", "Unsur 1",
              "2. Sistem/Mekanisme/Prosedur", QUESTION_3, "Biaya/Tarif", "Produk Spesifikasi Jenis Pelayanan",
              "Kompetensi Pelaksana", "Perilaku Pelaksana", "Penanganan Pengaduan/Saran/Masukan",
              "Sarana dan Prasarana", "Note"]
    src = write(tmp_path / "google.csv", [header, [
        "2024/07/10 09:15:22", "Male", "20–29 tahun", "D4/S1", "PNS", "BPJS Kesehatan", "Sangat sesuai",
        "mudah", "KURANG CEPAT", "Gratis", "4 - Sangat sesuai", "3", "Sopan dan ramah", "Dikelola dengan baik",
        "Buruk", ""]])
    plan = preview(demo_project, src, "2025 Survei", create_period=True)
    assert plan.ok, plan.errors
    assert plan.mapping["u3"] == QUESTION_3 and plan.mapping["date"] == "Timestamp"
    assert plan.mapping["gender"] == "Gender" and plan.count == 1 and plan.creates_period
    History(demo_project).push(plan.command(demo_project))
    project = reopen(demo_project)
    try:
        (form,) = forms_in(project, "2025 Survei")
        assert form.answers == [4, 3, 2, 4, 4, 3, 3, 4, 1] and form.gender == "L"
        assert str(form.date) == "2024-07-10"
    finally:
        project.close()


def test_mapping_step_rereads_with_the_users_mapping(demo_project, tmp_path):
    src = write(tmp_path / "odd.csv", [["A", "B", "C", "D", "E", "F", "G", "H", "I", "Siapa"],
                                       [1, 2, 3, 4, 1, 2, 3, 4, 1, "x"]])
    plan = preview(demo_project, src, "2024 Semester I")
    assert not plan.ok and "u1" in str(plan.errors[0]) and plan.headers[0] == "A"
    mapping = {f"u{i}": h for i, h in enumerate("ABCDEFGHI", start=1)} | {"note": "Siapa"}
    plan = preview(demo_project, src, "2024 Semester I", mapping)
    assert plan.ok and plan.count == 1 and set(plan.targets) >= {"u1", "agency", "counter"}


BAD = [
    ("answer_5", [1, "", "", 5], "row 2, U3", "must be 1, 2, 3 or 4"),
    ("text", [1, "", "", "bagus"], "row 2, U3", "'bagus' is no answer to unsur 3"),
    ("unknown_agency", [1, "", "Dinas Rahasia", 3], "row 2, Instansi", "no agency 'Dinas Rahasia'"),
]


@pytest.mark.parametrize("name,cells,where,message", BAD, ids=[b[0] for b in BAD])
def test_bad_rows_refused_naming_row_and_column_nothing_imported(demo_project, tmp_path, name, cells, where,
                                                                 message):
    number, gender, agency, u3 = cells
    src = write(tmp_path / f"{name}.csv", [
        ["No", "Jenis Kelamin", "Instansi", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"],
        [number, gender, agency, 4, 4, u3, 4, 4, 4, 4, 4, 4],
        [2, "L", "", 4, 4, 4, 4, 4, 4, 4, 4, 4]])
    before = file_rows(demo_project.path, "survey_response")
    with pytest.raises(ImportRefused) as refused:
        prepare(demo_project, src, period="2024 Semester I")
    text = str(refused.value)
    assert where in text and message in text
    assert file_rows(demo_project.path, "survey_response") == before


def test_short_row_missing_columns_unknown_period(demo_project, tmp_path):
    head = ["No", *[f"u{i}" for i in range(1, 10)]]
    short = write(tmp_path / "short.csv", [head, [1, 4, 4, 4, 4, 4, 4, 4, 4, 4], [2, 4, 4, 4]])
    with pytest.raises(ImportRefused, match="row 3: The row has 4 cells where the header has 10"):
        prepare(demo_project, short, period="2024 Semester I")
    missing = write(tmp_path / "missing.csv", [head[:-2], [1, 4, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ImportRefused, match=r"u8 \(Penanganan Pengaduan/Saran/Masukan\), u9"):
        prepare(demo_project, missing, period="2024 Semester I")
    good = write(tmp_path / "good.csv", [head, [1, 4, 4, 4, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ImportRefused, match="no survey period '2030'.*2024 Semester I, 2024 Semester II"):
        prepare(demo_project, good, period="2030")
    dup = write(tmp_path / "dup.csv", [head, [500, 4, 4, 4, 4, 4, 4, 4, 4, 4], [500, 3, 3, 3, 3, 3, 3, 3, 3, 3]])
    with pytest.raises(ImportRefused, match="row 3, No: Form number 500 is already in row 2"):
        prepare(demo_project, dup, period="2024 Semester I")
    with pytest.raises(ImportRefused, match="Form number 1 is already in the period"):
        prepare(demo_project, good, period="2024 Semester I")
    assert forms_in(demo_project, "2030") == []


def test_import_is_one_undo_step_with_the_created_period(demo_project, tmp_path):
    src = write(tmp_path / "r.csv", [["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]]
                + [[1 + i % 4] * 9 for i in range(50)])
    h = History(demo_project)
    h.push(prepare(demo_project, src, period="2025 Semester I", create_period=True))
    assert len(h.done) == 1 and len(forms_in(demo_project, "2025 Semester I")) == 50
    h.undo()
    assert reads.period_id_named(demo_project, "2025 Semester I") is None
    h.redo()
    assert len(forms_in(demo_project, "2025 Semester I")) == 50

"""The agency dialog typed into as a user does: Enter in "New service" adds the service and nothing more (the
placeholder says "then Enter"), even after a refused OK; the dialog is accepted by its OK button only, and
what was typed is in the project file after reopening."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from mpp_planner.model import Agency
from mpp_planner.qt.agencies.dialog import AgencyDialog
from tests.qt.plan_helpers import reopened


def services(dialog) -> list[str]:
    return [dialog.services.item(i).text() for i in range(dialog.services.count())]


def show(qtbot, dialog) -> None:
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def type_service(qtbot, dialog, text: str) -> None:
    qtbot.mouseClick(dialog.service_entry, Qt.LeftButton)
    qtbot.keyClicks(dialog.service_entry, text)
    qtbot.keyClick(dialog.service_entry, Qt.Key_Return)


def test_enter_in_the_service_field_adds_the_service_and_keeps_the_dialog_open(qtbot):
    asked = []
    dialog = AgencyDialog(on_accept=lambda fields, rows: asked.append((fields, rows)) or True)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    dialog.name.setText("Badan Narkotika Nasional")
    dialog.short_name.setText("BNN")
    type_service(qtbot, dialog, "Tes urine")
    assert services(dialog) == ["Tes urine"]
    assert asked == [] and dialog.isVisible() and dialog.result() != QDialog.Accepted
    assert dialog.service_entry.text() == "" and QApplication.focusWidget() is dialog.service_entry
    qtbot.keyClicks(dialog.service_entry, "Konsultasi P4GN")
    qtbot.keyClick(dialog.service_entry, Qt.Key_Enter)  # the keypad's Enter too
    assert services(dialog) == ["Tes urine", "Konsultasi P4GN"] and asked == []
    # Enter elsewhere in the form still means OK
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert len(asked) == 1 and dialog.result() == QDialog.Accepted
    assert [name for _ident, name in asked[0][1]] == ["Tes urine", "Konsultasi P4GN"]


def test_after_a_refused_ok_the_next_service_goes_to_the_list_not_the_short_name(demo_window, qtbot, monkeypatch):
    window = demo_window
    tab = window.tab_widgets["agencies"]
    window.show_tab("agencies")
    seen = {"tries": 0}

    def drive(dialog):
        apply = dialog.on_accept

        def counted(fields, rows):
            seen["tries"] += 1
            return apply(fields, rows)

        dialog.on_accept = counted
        show(qtbot, dialog)
        dialog.name.setText("Badan Narkotika Nasional Kota Probolinggo")
        dialog.short_name.setText("Imigrasi")  # used by another agency: refused
        type_service(qtbot, dialog, "Tes urine")
        assert seen["tries"] == 0
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        seen["error"] = dialog.error.text()
        assert dialog.isVisible() and QApplication.focusWidget().window() is dialog
        type_service(qtbot, dialog, "Konsultasi P4GN")  # the user goes on with the services
        seen["short name"] = dialog.short_name.text()
        seen["services"] = services(dialog)
        assert seen["tries"] == 1 and dialog.isVisible() and dialog.result() != QDialog.Accepted
        dialog.short_name.setText("BNN")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        return dialog.result()

    monkeypatch.setattr(tab, "run_dialog", drive)
    tab.act_add.trigger()
    assert "already used" in seen["error"]
    assert seen["short name"] == "Imigrasi"
    assert seen["services"] == ["Tes urine", "Konsultasi P4GN"]
    assert seen["tries"] == 2
    with reopened(window) as project:
        bnn = project.session.scalar(select(Agency).where(Agency.short_name == "BNN"))
        assert bnn.name == "Badan Narkotika Nasional Kota Probolinggo"
        assert [s.name for s in bnn.services] == ["Tes urine", "Konsultasi P4GN"]


def test_a_refusal_naming_a_field_puts_the_cursor_there_without_selecting_its_text(qtbot):
    dialog = AgencyDialog()
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    dialog.short_name.setText("Imigrasi")
    qtbot.mouseClick(dialog.service_entry, Qt.LeftButton)
    dialog.show_error("The short name 'Imigrasi' is already used.", "short_name")
    assert dialog.error.isVisible() and QApplication.focusWidget() is dialog.short_name
    qtbot.keyClicks(dialog.short_name, " Kota")  # typed on: nothing typed before is lost
    assert dialog.short_name.text() == "Imigrasi Kota"

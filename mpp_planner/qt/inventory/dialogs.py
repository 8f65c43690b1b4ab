"""Dialogs of the Inventory tab: a KIR row, a need, a visit and a visit finding.

Each dialog collects values and runs ONE command on OK; a refused edit keeps the dialog
open with the model's message, and nothing is changed. The pick lists come from ``mpp_planner.reads``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

from mpp_planner.commands.inventory import (add_inventory_item, add_need, add_visit, add_visit_finding,
                                            edit_inventory_item, edit_need, edit_visit, edit_visit_finding)
from mpp_planner.formats import long_date
from mpp_planner.i18n import N_, _
from mpp_planner.importers.prices import parse_price
from mpp_planner.model import Condition, FollowUp, InventoryItem, Need, NeedSource, ValidationError, Visit, VisitFinding
from mpp_planner.model.asset_codes import code_of
from mpp_planner.model.labels import picker_labels
from mpp_planner.model.site import ASSET_CODE_RE
from mpp_planner.qt.inventory.editing import FormDialog
from mpp_planner.reads import catalog as catalog_reads
from mpp_planner.reads import inventory as inventory_reads
from mpp_planner.reads import visits as visit_reads

FOLLOW_UP_LABELS = {FollowUp.OPEN: N_("Open"), FollowUp.BUDGETED: N_("Budgeted"), FollowUp.DONE: N_("Done")}


def follow_up_label(value: str) -> str:
    try:
        return _(FOLLOW_UP_LABELS[FollowUp(value)])
    except ValueError:
        return value


def qty_edit_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value.normalize(), "f")


def room_choices(project) -> list[tuple[str, int]]:
    return [(f"{r.name} — {r.floor_name}", r.id) for r in inventory_reads.rooms_by_floor(project)]


def item_type_choices(types) -> list[tuple[str, int]]:
    """(label, id) of ``reads.catalog.item_type_choices`` rows: the names (never the internal keys)."""
    return list(zip(picker_labels([(t.name, t.unit) for t in types]), [t.id for t in types]))


def searchable_combo(choices, current=None, *, none_label: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.NoInsert)
    if none_label is not None:
        combo.addItem(none_label, None)
    for label, value in choices:
        combo.addItem(label, value)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchContains)
    completer.setCompletionMode(QCompleter.PopupCompletion)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.setMinimumWidth(360)
    return combo


def combo_value(combo: QComboBox):
    """The chosen value; typed text must match an entry exactly (else None)."""
    i = combo.findText(combo.currentText(), Qt.MatchFixedString)
    return combo.itemData(i) if i >= 0 else None


def text_or_none(text: str):
    text = text.strip()
    return text or None


class AssetCodeField(QWidget):
    """A kode barang (Permendagri 108/2016) field: type the code, or part of a name ("lemari") and pick
    from the completer, which offers the listed codes as "code — name" and puts the code in the field.
    The name of the code shows below it. The model checks the code when the form is saved."""

    def __init__(self, current: str = "", parent=None):
        super().__init__(parent)
        self.edit = QLineEdit(current)
        self.edit.setClearButtonEnabled(True)
        self.completer = QCompleter([c.label for c in catalog_reads.asset_code_choices()], self)
        self.completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchContains)
        self.completer.setCompletionMode(QCompleter.PopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.edit.setCompleter(self.completer)
        self.completer.activated[str].connect(self._chosen)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: palette(mid);")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        self.edit.textChanged.connect(self._show_name)
        self._show_name()

    def _chosen(self, text: str) -> None:
        self.edit.setText(code_of(text))

    def _show_name(self) -> None:
        code = self.code()
        name = catalog_reads.asset_code_name(code) if code else ""
        if name:
            self.hint.setText(name)
        elif code and ASSET_CODE_RE.match(code):
            self.hint.setText(_("not in the kode barang list (resources/asset_codes.csv)"))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - as QLineEdit calls it
        self.edit.setPlaceholderText(text)

    def code(self) -> str:
        """The code the field holds (the code of a "code — name" left by the completer)."""
        return code_of(self.edit.text())


class InventoryItemDialog(FormDialog):
    """Add or edit one KIR row."""

    def __init__(self, project, undo_stack, item: InventoryItem | None = None, room_id: int | None = None,
                 parent=None):
        super().__init__(_("Edit inventory row") if item else _("Add inventory row"), undo_stack, parent)
        self.project, self.item = project, item
        types = catalog_reads.item_type_choices(project)
        self.units = {t.id: t.unit for t in types}
        self.type_codes = {t.id: t.asset_code for t in types}
        self.item_type = searchable_combo(item_type_choices(types), item.item_type_id if item else None)
        self.unit = QLabel()
        self.room = searchable_combo(room_choices(project), item.room_id if item else room_id)
        self.quantity = QLineEdit(qty_edit_text(item.quantity) if item else "1")
        self.condition = QComboBox()
        for c in Condition:
            self.condition.addItem(c.label, c.value)
        self.condition.setCurrentIndex(self.condition.findData(item.condition if item else Condition.B.value))
        self.brand = QLineEdit(item.brand_model if item else "")
        self.serial = QLineEdit(item.serial_no if item else "")
        self.size = QLineEdit(item.size if item else "")
        self.material = QLineEdit(item.material if item else "")
        self.year = QLineEdit(str(item.year) if item and item.year else "")
        self.year.setPlaceholderText(_("e.g. 2023"))
        self.asset_code = AssetCodeField(item.asset_code if item else "")
        self.register = QLineEdit(item.register_code if item else "")
        self.register.setPlaceholderText(_("register number, e.g. 0003"))
        self.price = QLineEdit(qty_edit_text(item.purchase_price) if item and item.purchase_price is not None else "")
        self.price.setPlaceholderText(_("per unit, e.g. 1.250.000"))
        self.notes = QPlainTextEdit(item.notes if item else "")
        self.notes.setFixedHeight(60)
        qty_row = QWidget()
        qh = QHBoxLayout(qty_row)
        qh.setContentsMargins(0, 0, 0, 0)
        qh.addWidget(self.quantity, 1)
        qh.addWidget(self.unit)
        self.form.addRow(_("Item type:"), self.item_type)
        self.form.addRow(_("Room:"), self.room)
        if item is not None and item.on_plan:
            self.room.setEnabled(False)
            self.room.setToolTip(_("Drawn on the plan: the room follows the item's position."))
        self.form.addRow(_("Quantity:"), qty_row)
        self.form.addRow(_("Condition:"), self.condition)
        self.form.addRow(_("Brand / model:"), self.brand)
        self.form.addRow(_("Factory serial no.:"), self.serial)
        self.form.addRow(_("Size:"), self.size)
        self.form.addRow(_("Material:"), self.material)
        self.form.addRow(_("Year made / bought:"), self.year)
        self.form.addRow(_("Asset code (kode barang):"), self.asset_code)
        self.form.addRow(_("Register number:"), self.register)
        self.form.addRow(_("Purchase price (Rp):"), self.price)
        self.form.addRow(_("Notes:"), self.notes)
        self.item_type.currentIndexChanged.connect(self._show_unit)
        self._show_unit()
        self.resize(560, self.sizeHint().height())

    def _show_unit(self) -> None:
        """The unit of the chosen item type, and its kode barang as what an empty code field means."""
        type_id = combo_value(self.item_type)
        self.unit.setText(self.units.get(type_id, ""))
        inherited = self.type_codes.get(type_id, "")
        self.asset_code.setPlaceholderText(
            _("from the item type: {code}").format(code=inherited) if inherited
            else _("the item type has no kode barang"))

    def values(self) -> dict:
        fields = {"item_type_id": combo_value(self.item_type), "quantity": self.quantity.text().strip(),
                  "condition": self.condition.currentData(), "brand_model": self.brand.text(),
                  "serial_no": self.serial.text(), "size": self.size.text(), "material": self.material.text(),
                  "year": text_or_none(self.year.text()), "asset_code": self.asset_code.code(),
                  "register_code": self.register.text(), "notes": self.notes.toPlainText()}
        if self.room.isEnabled():
            fields["room_id"] = combo_value(self.room)
        price = self.price.text().strip()
        if price:
            try:
                fields["purchase_price"] = parse_price(price)
            except ValueError:
                raise ValidationError("purchase_price", _("'{value}' is not a price.").format(value=price)) from None
        else:
            fields["purchase_price"] = None
        return fields

    def command(self):
        fields = self.values()
        if self.item is None:
            if fields.get("room_id") is None:
                raise ValidationError("room_id", _("Choose a room."))
            return add_inventory_item(self.project, fields)
        changed = {k: v for k, v in fields.items() if _differs(getattr(self.item, k), v)}
        return edit_inventory_item(self.item.id, changed) if changed else None


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) and isinstance(new, str):
        try:
            return Decimal(new.replace(",", ".")) != old
        except Exception:  # noqa: BLE001 - not a number: let the model say why
            return True
    if isinstance(old, int) and isinstance(new, str):
        return str(old) != new.strip()
    if old is None and new in ("", None):
        return False
    return old != new


class NeedDialog(FormDialog):
    """Add or edit a need: room, item type, required quantity, source, reason, linked visit finding."""

    def __init__(self, project, undo_stack, need: Need | None = None, room_id: int | None = None, parent=None,
                 preset: dict | None = None):
        super().__init__(_("Edit need") if need else _("Add need"), undo_stack, parent)
        self.project, self.need = project, need
        preset = preset or {}
        types = catalog_reads.item_type_choices(project)
        self.units = {t.id: t.unit for t in types}
        self.room = searchable_combo(room_choices(project), need.room_id if need else preset.get("room_id", room_id))
        self.item_type = searchable_combo(item_type_choices(types), need.item_type_id if need else None)
        self.unit = QLabel()
        self.quantity = QLineEdit(qty_edit_text(need.quantity) if need else "1")
        self.source = QComboBox()
        for s in NeedSource:
            self.source.addItem(s.label, s.value)
        self.source.setCurrentIndex(self.source.findData(need.source if need else preset.get(
            "source", NeedSource.MANUAL.value)))
        self.reason = QPlainTextEdit(need.reason if need else preset.get("reason", ""))
        self.reason.setFixedHeight(70)
        self.finding = QComboBox()
        self.finding.addItem(_("(none)"), None)
        for f in visit_reads.finding_choices(project):
            text = f.text if len(f.text) <= 70 else f.text[:69] + "…"
            self.finding.addItem(f"{long_date(f.visit_date)} — {text}", f.id)
        current_finding = need.visit_finding_id if need else preset.get("visit_finding_id")
        self.finding.setCurrentIndex(max(0, self.finding.findData(current_finding)))
        qty_row = QWidget()
        qh = QHBoxLayout(qty_row)
        qh.setContentsMargins(0, 0, 0, 0)
        qh.addWidget(self.quantity, 1)
        qh.addWidget(self.unit)
        self.form.addRow(_("Room:"), self.room)
        self.form.addRow(_("Item type:"), self.item_type)
        self.form.addRow(_("Required quantity:"), qty_row)
        self.form.addRow(_("Source:"), self.source)
        self.form.addRow(_("Reason:"), self.reason)
        self.form.addRow(_("Visit finding:"), self.finding)
        self.item_type.currentIndexChanged.connect(self._show_unit)
        self._show_unit()
        self.resize(600, self.sizeHint().height())

    def _show_unit(self) -> None:
        self.unit.setText(self.units.get(combo_value(self.item_type), ""))

    def command(self):
        fields = {"room_id": combo_value(self.room), "item_type_id": combo_value(self.item_type),
                  "quantity": self.quantity.text().strip(), "source": self.source.currentData(),
                  "reason": self.reason.toPlainText(), "visit_finding_id": self.finding.currentData()}
        if self.need is None:
            return add_need(self.project, fields)
        changed = {k: v for k, v in fields.items() if _differs(getattr(self.need, k), v)}
        return edit_need(self.need.id, changed) if changed else None


class VisitDialog(FormDialog):
    def __init__(self, project, undo_stack, visit: Visit | None = None, parent=None):
        super().__init__(_("Edit visit") if visit else _("Record a visit"), undo_stack, parent)
        self.project, self.visit = project, visit
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        d = visit.date if visit else date.today()
        self.date.setDate(QDate(d.year, d.month, d.day))
        self.office = QLineEdit(visit.office if visit else "")
        self.office.setPlaceholderText(_("e.g. Biro Organisasi Setda Provinsi Jawa Timur"))
        self.visitor = QLineEdit(visit.visitor if visit else "")
        self.notes = QPlainTextEdit(visit.notes if visit else "")
        self.form.addRow(_("Date:"), self.date)
        self.form.addRow(_("Visiting office:"), self.office)
        self.form.addRow(_("Visitor:"), self.visitor)
        self.form.addRow(_("Notes:"), self.notes)
        self.resize(560, 360)

    def command(self):
        q = self.date.date()
        fields = {"date": date(q.year(), q.month(), q.day()), "office": self.office.text(),
                  "visitor": self.visitor.text(), "notes": self.notes.toPlainText()}
        if self.visit is None:
            return add_visit(fields)
        changed = {k: v for k, v in fields.items() if getattr(self.visit, k) != v}
        return edit_visit(self.visit.id, changed) if changed else None


class VisitFindingDialog(FormDialog):
    """A finding of a visit: text, room, follow-up status, planned fiscal year and linked needs."""

    NO_YEAR = 1999

    def __init__(self, project, undo_stack, visit_id: int, finding: VisitFinding | None = None, parent=None):
        super().__init__(_("Edit visit finding") if finding else _("Add visit finding"), undo_stack, parent)
        self.project, self.visit_id, self.finding = project, visit_id, finding
        self.text = QPlainTextEdit(finding.text if finding else "")
        self.text.setFixedHeight(80)
        self.room = searchable_combo(room_choices(project), finding.room_id if finding else None,
                                     none_label=_("(no particular room)"))
        self.status = QComboBox()
        for f in FollowUp:
            self.status.addItem(follow_up_label(f.value), f.value)
        self.status.setCurrentIndex(self.status.findData(finding.status if finding else FollowUp.OPEN.value))
        self.year = QSpinBox()
        self.year.setRange(self.NO_YEAR, 2100)
        self.year.setSpecialValueText("—")
        self.year.setValue(finding.planned_year if finding and finding.planned_year else
                           (visit_reads.default_planned_year(project) if finding is None else self.NO_YEAR))
        self.needs = QListWidget()
        self.linked_before: set[int] = set()
        for n in visit_reads.need_choices(project):
            entry = QListWidgetItem(f"{n.room_name} — {n.item_name} × {qty_edit_text(n.quantity)}")
            entry.setData(Qt.UserRole, n.id)
            entry.setFlags(entry.flags() | Qt.ItemIsUserCheckable)
            linked = finding is not None and n.visit_finding_id == finding.id
            if linked:
                self.linked_before.add(n.id)
            entry.setCheckState(Qt.Checked if linked else Qt.Unchecked)
            self.needs.addItem(entry)
        self.needs.setMinimumHeight(150)
        self.form.addRow(_("Finding:"), self.text)
        self.form.addRow(_("Room:"), self.room)
        self.form.addRow(_("Follow-up:"), self.status)
        self.form.addRow(_("Planned fiscal year:"), self.year)
        self.form.addRow(_("Linked needs:"), self.needs)
        self.resize(640, 520)

    def linked_need_ids(self) -> list[int]:
        return [self.needs.item(i).data(Qt.UserRole) for i in range(self.needs.count())
                if self.needs.item(i).checkState() == Qt.Checked]

    def command(self):
        year = self.year.value()
        fields = {"text": self.text.toPlainText(), "room_id": combo_value(self.room),
                  "status": self.status.currentData(), "planned_year": None if year == self.NO_YEAR else year}
        if self.finding is None:
            return add_visit_finding(self.project, self.visit_id, fields, self.linked_need_ids())
        changed = {k: v for k, v in fields.items() if getattr(self.finding, k) != v}
        wanted = self.linked_need_ids()
        if not changed and set(wanted) == self.linked_before:
            return None
        return edit_visit_finding(self.project, self.finding.id, changed,
                                  wanted if set(wanted) != self.linked_before else None)

"""The findings list in the Inventory tab names each finding's rule, never its internal id."""

from mpp_planner.qt.jobs import running_jobs
from mpp_planner.standards import load_rules


def test_rule_column_shows_rule_names(demo_window, qtbot):
    window = demo_window
    window.show_tab("inventory")
    tab = window.tab_widgets["inventory"]
    tab.act_check.trigger()
    panel = tab.findings_panel
    qtbot.waitUntil(lambda: panel.job not in running_jobs(), timeout=60_000)
    model = panel.model
    col = next(i for i, c in enumerate(model.columns) if c.header in ("Rule", "Aturan"))
    shown = {model.index(r, col).data() for r in range(model.rowCount())}
    ids = {r.id for r in load_rules().rules}
    assert shown and not shown & ids
    assert "Lactation room size" in shown or "Luas ruang laktasi" in shown
    assert all("_" not in name for name in shown)

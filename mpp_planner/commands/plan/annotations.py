"""Annotations: dimension lines and text labels on a floor."""

from __future__ import annotations

from mpp_planner.commands.plan.objects import CreatePlanObjects
from mpp_planner.i18n import _
from mpp_planner.model import Annotation, ValidationError
from mpp_planner.model.plan import AnnotationKind

DEFAULT_TEXT_HEIGHT = 300  # mm


class AddAnnotation(CreatePlanObjects):
    """A dimension line from (x1, y1) to (x2, y2), or a text label centred on (x1, y1)."""

    def __init__(self, floor_id: int, kind: str, x1: int, y1: int, x2: int = 0, y2: int = 0, text: str = "",
                 font_size: int = DEFAULT_TEXT_HEIGHT):
        super().__init__(_("Add dimension") if kind == AnnotationKind.DIMENSION.value else _("Add text"), floor_id)
        if kind == AnnotationKind.DIMENSION.value and (x1, y1) == (x2, y2):
            raise ValidationError("annotation", _("A dimension line needs two different points."))
        if kind == AnnotationKind.TEXT.value and not str(text).strip():
            raise ValidationError("text", _("A text label needs some text."))
        self.values = dict(kind=kind, x1=x1, y1=y1, x2=x2, y2=y2, text=text, font_size=font_size)

    def build(self, session):
        return [("annotation", Annotation(floor_id=self.floor_id, **self.values))]

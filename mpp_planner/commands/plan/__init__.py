"""Undoable plan edits: rooms, counters, furniture, annotations, floors and floor backgrounds.

A plan object is named by a reference ``(kind, id)`` with kind one of ``room``, ``counter``,
``item`` (an inventory item drawn on the plan) or ``annotation``. Every command runs in one
transaction of the project facade (validated by the model, committed at once). Furniture
always counts in the room under its centre (``model.plan.room_under``): placing, moving or
pasting an item, or drawing, reshaping or deleting a room, moves the affected items in the
inventory in the same step.

One module per concern: ``refs`` (undo texts, bounds, setting fields; the kinds and batched
loading are ``model.plan_refs``), ``room_links`` (which room furniture counts in), ``objects``
(edits of any kind: move, align, resize, rotate, add, delete), ``rooms``, ``counters``,
``furniture``, ``annotations``, ``walls`` (and the doors and windows in them), ``clipboard``,
``floors``, ``backgrounds``, ``dxf`` (the
architect's plan), ``overlaps`` (counters and furniture standing in each other). Everything is
importable from here.
"""

from mpp_planner.commands.plan.annotations import DEFAULT_TEXT_HEIGHT, AddAnnotation
from mpp_planner.commands.plan.backgrounds import (IMAGE_FORMATS, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_MM_PER_PX,
                                                   MIN_MM_PER_PX, CalibrateBackground, ImportBackground,
                                                   RemoveBackground, RemoveUnderlay, SetBackground,
                                                   SetBackgroundOpacity, SetBackgroundOrigin, SetBackgroundVisible,
                                                   SetUnderlay, calibrated_scale, check_image, check_image_size,
                                                   clean_opacity, clean_scale, image_info, parse_distance_m)
from mpp_planner.commands.plan.clipboard import (CLIPBOARD_FORMAT, COPY_FIELDS, PasteObjects, copy_payload,
                                                 payload_bounds)
from mpp_planner.commands.plan.counters import DEFAULT_COUNTER_SIZE, PlaceCounter, counter_labels
from mpp_planner.commands.plan.dxf import ImportPlan, guess_room_kind, unique_name
from mpp_planner.commands.plan.floors import (AddFloor, DeleteFloor, RenameFloor, ReorderFloors, floor_contents,
                                              floor_position)
from mpp_planner.commands.plan.furniture import PlaceItem, RemoveFromPlan
from mpp_planner.commands.plan.objects import (ALIGN_TEXTS, DISTRIBUTE_TEXTS, AlignObjects, CreatePlanObjects,
                                               DeletePlanObjects, DistributeObjects, EditPlan, MoveObjects,
                                               ResizeObject, RotateObject, RotateObjects, SetProperties, ShiftObjects)
from mpp_planner.commands.plan.overlaps import Overlap, boxes_overlap, find_overlaps, overlapping
from mpp_planner.commands.plan.refs import (KIND_MODEL, KIND_TABLE, RECENT_LIMIT, TABLE_KIND, Ref, apply_fields,
                                            describe, held_object, load_objects, object_box, resized_outline,
                                            set_fields, shifted_fields, text_box)
from mpp_planner.commands.plan.room_links import floor_rooms, items_near_rooms, relinked_rooms
from mpp_planner.commands.plan.rooms import AddRoom, EditRoomOutline
from mpp_planner.commands.plan.walls import (AddRoomFromWalls, AddWall, EditOpening, EditWall, PlaceOpening,
                                             WallsAroundRoom)

__all__ = [
    # references, reading, bounds
    "Ref", "KIND_MODEL", "KIND_TABLE", "TABLE_KIND", "RECENT_LIMIT", "describe", "held_object", "load_objects",
    "object_box", "text_box", "shifted_fields", "resized_outline", "set_fields", "apply_fields",
    # furniture follows the room under it
    "floor_rooms", "relinked_rooms", "items_near_rooms",
    # edits of any kind
    "EditPlan", "SetProperties", "ShiftObjects", "MoveObjects", "ALIGN_TEXTS", "DISTRIBUTE_TEXTS", "AlignObjects",
    "DistributeObjects", "ResizeObject", "RotateObject", "RotateObjects", "CreatePlanObjects", "DeletePlanObjects",
    # one kind each
    "AddRoom", "EditRoomOutline", "DEFAULT_COUNTER_SIZE", "counter_labels", "PlaceCounter", "PlaceItem",
    "RemoveFromPlan", "DEFAULT_TEXT_HEIGHT", "AddAnnotation",
    # clipboard
    "CLIPBOARD_FORMAT", "COPY_FIELDS", "copy_payload", "payload_bounds", "PasteObjects",
    # floors
    "floor_position", "AddFloor", "RenameFloor", "ReorderFloors", "DeleteFloor", "floor_contents",
    # floor backgrounds
    "MAX_IMAGE_SIDE", "MAX_IMAGE_PIXELS", "MIN_MM_PER_PX", "MAX_MM_PER_PX", "IMAGE_FORMATS", "image_info",
    "check_image_size", "check_image", "clean_scale", "clean_opacity", "parse_distance_m", "calibrated_scale",
    "SetBackground", "SetBackgroundOpacity", "SetBackgroundVisible", "SetBackgroundOrigin", "CalibrateBackground",
    "ImportBackground", "RemoveBackground", "SetUnderlay", "RemoveUnderlay",
    # walls, doors and windows
    "AddWall", "EditWall", "PlaceOpening", "EditOpening", "AddRoomFromWalls", "WallsAroundRoom",
    # the architect's plan (DXF)
    "ImportPlan", "guess_room_kind", "unique_name",
    # counters and furniture standing in each other
    "Overlap", "boxes_overlap", "find_overlaps", "overlapping",
]

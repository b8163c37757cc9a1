"""One shared traffic-light rule for every chart and table: đạt / gần đạt / chưa đạt.

Colours are Okabe–Ito (readable with the common colour-vision deficiencies), and every use also
carries the label text, so colour is never the only signal.
"""

from __future__ import annotations

import math

AMBER_BAND = 0.15  # within 15 percentage points of the target
STATUS_LABEL = {"green": "Đạt", "amber": "Gần đạt", "red": "Chưa đạt", "over": "Vượt 100 %", "none": "Chưa có số liệu"}
# Above 100 % is never green: the denominator (smartphone households, staff) is out of date, so it gets a colour of its own.
STATUS_COLOUR = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "over": "#CC79A7", "none": "#999999"}
OVER_VILLAGE = "vượt số hộ có ĐTTM"  # the mark of a village whose installs exceed its smartphone households
TARGET_COLOUR = "#0072B2"


def status(rate: float | None, target: float) -> str:
    """'green' at or above the target, 'amber' within 15 points below it, 'red' further below; 'over' above 100 %."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "none"
    if rate > 1 + 1e-9:
        return "over"
    if rate + 1e-9 >= target:
        return "green"
    if rate + AMBER_BAND + 1e-9 >= target:
        return "amber"
    return "red"


def label(rate: float | None, target: float) -> str:
    """The Vietnamese label of a rate's status."""
    return STATUS_LABEL[status(rate, target)]

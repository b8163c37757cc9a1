import pytest

from lib.status import label, status


@pytest.mark.parametrize(
    ("rate", "target", "expected"),
    [
        (0.70, 0.70, "green"),
        (0.95, 0.70, "green"),
        (0.69, 0.70, "amber"),
        (0.55, 0.70, "amber"),
        (0.549, 0.70, "red"),
        (1.0, 1.0, "green"),
        (1.001, 0.70, "over"),  # above 100 % is never green: the denominator is out of date
        (1.2, 1.0, "over"),
        (0.86, 1.0, "amber"),
        (0.84, 1.0, "red"),
        (None, 0.7, "none"),
        (float("nan"), 0.7, "none"),
    ],
)
def test_one_traffic_light_rule_for_every_view(rate, target, expected):
    assert status(rate, target) == expected


def test_labels_are_vietnamese():
    assert (label(0.8, 0.7), label(0.6, 0.7), label(0.1, 0.7)) == ("Đạt", "Gần đạt", "Chưa đạt")


def test_above_100_percent_has_a_colour_of_its_own():
    from lib.status import STATUS_COLOUR

    assert STATUS_COLOUR["over"] not in {STATUS_COLOUR[k] for k in ("green", "amber", "red")}
    assert label(1.1, 0.7) == "Vượt 100 %"

import math

import pytest

from shared.analytics.robust import MAD_SCALE, median, median_mad, robust_z


def test_median_of_odd_and_even_counts():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5


def test_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        median([])


def test_one_outlier_barely_moves_median_and_mad():
    calm = [100.0, 101.0, 99.0, 100.0, 102.0, 98.0, 100.0]
    center, spread = median_mad(calm)
    center2, spread2 = median_mad([*calm, 5000.0])
    assert center == 100.0
    assert spread == pytest.approx(1.0 * MAD_SCALE)
    assert center2 == 100.0
    assert spread2 == pytest.approx(spread)


def test_robust_z_reads_like_a_z_score():
    assert robust_z(110.0, 100.0, 5.0) == 2.0
    assert robust_z(90.0, 100.0, 5.0) == -2.0


def test_flat_history_gives_zero_or_infinity_unless_floored():
    assert robust_z(100.0, 100.0, 0.0) == 0.0
    assert robust_z(101.0, 100.0, 0.0) == math.inf
    assert robust_z(99.0, 100.0, 0.0) == -math.inf
    assert robust_z(101.0, 100.0, 0.0, floor=1.0) == 1.0

"""The in-process board of projection positions that waiters block on."""

from __future__ import annotations

import threading
import time

import pytest

from clinic.infrastructure.projections.board import PositionBoard


class TestPosting:
    def test_a_posted_position_is_read_back(self) -> None:
        board = PositionBoard()

        board.post("patient_list", 42)

        assert board.position("patient_list") == 42

    def test_an_unknown_projection_is_at_zero_and_not_local(self) -> None:
        board = PositionBoard()

        assert board.position("patient_list") == 0
        assert not board.is_local("patient_list")

    def test_a_projection_is_local_from_its_first_post_until_forgotten(self) -> None:
        board = PositionBoard()

        board.post("patient_list", 0)
        assert board.is_local("patient_list")
        board.forget("patient_list")

        assert not board.is_local("patient_list")
        assert board.position("patient_list") == 0

    def test_projections_do_not_share_positions(self) -> None:
        board = PositionBoard()

        board.post("patient_list", 7)

        assert board.position("another") == 0


@pytest.mark.timeout(30)
class TestWaiting:
    def test_returns_at_once_when_the_position_is_reached(self) -> None:
        board = PositionBoard()
        board.post("patient_list", 10)

        started = time.monotonic()
        reached = board.wait("patient_list", 5, timeout=10)

        assert reached == 10
        assert time.monotonic() - started < 1

    def test_wakes_when_another_thread_posts_the_position(self) -> None:
        board = PositionBoard()
        board.post("patient_list", 0)
        poster = threading.Timer(0.1, board.post, args=("patient_list", 3))

        poster.start()
        started = time.monotonic()
        reached = board.wait("patient_list", 3, timeout=10)
        poster.join()

        assert reached == 3
        assert time.monotonic() - started < 5

    def test_keeps_waiting_through_posts_below_the_position(self) -> None:
        board = PositionBoard()
        posts = [
            threading.Timer(0.05 * (i + 1), board.post, args=("patient_list", i + 1))
            for i in range(4)
        ]

        for post in posts:
            post.start()
        reached = board.wait("patient_list", 4, timeout=10)
        for post in posts:
            post.join()

        assert reached == 4

    def test_gives_up_after_the_timeout_and_tells_where_the_projection_is(self) -> None:
        board = PositionBoard()
        board.post("patient_list", 2)

        started = time.monotonic()
        reached = board.wait("patient_list", 3, timeout=0.2)

        assert reached == 2
        assert time.monotonic() - started >= 0.2

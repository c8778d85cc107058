from unittest import mock

from django.core.cache import cache

from klimat import ratelimit


def test_allows_up_to_the_limit_then_refuses():
    assert [ratelimit.hit("k", 3) for _ in range(5)] == [True, True, True, False, False]


def test_keys_are_counted_separately():
    assert all(ratelimit.hit("a", 1) for _ in range(1))
    assert ratelimit.hit("b", 1)
    assert not ratelimit.hit("a", 1)


def test_window_expiry_starts_a_new_count():
    assert ratelimit.hit("w", 1, window=60)
    assert not ratelimit.hit("w", 1, window=60)
    cache.clear()  # what the expiry of the window does
    assert ratelimit.hit("w", 1, window=60)


def test_keys_do_not_hold_the_address_in_clear():
    ratelimit.hit("signin:email:anna@exempel.se", 5)
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys and not any("anna" in str(key) for key in keys)


def test_an_unreachable_cache_allows_the_request():
    with mock.patch.object(cache, "add", side_effect=ConnectionError):
        assert ratelimit.hit("k", 0)

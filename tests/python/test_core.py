"""The Python package: version and parse() through the pybind11 module."""

import pytest

import sipbed

REGISTER = (
    b"REGISTER sip:example.com SIP/2.0\r\n"
    b"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
    b"Max-Forwards: 70\r\n"
    b"To: Alice <sip:alice@example.com>\r\n"
    b"From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
    b"Call-ID: a84b4c76e66710@192.0.2.10\r\n"
    b"CSeq: 1 REGISTER\r\n"
    b"Contact: <sip:alice@192.0.2.10:5060>\r\n"
    b"Expires: 3600\r\n"
    b"Content-Length: 0\r\n"
    b"\r\n"
)


def test_version_is_a_non_empty_string():
    assert isinstance(sipbed.__version__, str)
    assert sipbed.__version__
    assert sipbed._core.version() == sipbed.__version__


def test_parse_register_returns_its_method():
    message = sipbed.parse(REGISTER)
    assert isinstance(message, dict)
    assert message["method"] == "REGISTER"


def test_parse_accepts_bytearray_and_str():
    assert sipbed.parse(bytearray(REGISTER))["method"] == "REGISTER"
    assert sipbed.parse(REGISTER.decode("ascii"))["method"] == "REGISTER"


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01\x02 not SIP at all\r\n\r\n", b"HELLO"])
def test_parse_garbage_raises_value_error(garbage):
    with pytest.raises(ValueError):
        sipbed.parse(garbage)

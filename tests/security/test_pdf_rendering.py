"""PDF rendering (issue 7, item 7): whatever the applicant's text holds, WeasyPrint fetches no URL
outside the letter's own assets (no file://, no http:// to loopback services, no CSS @import, no
<link rel="attachment">), and the PDF embeds no file.

Zero fetches are shown twice: by the fetcher's own record, and by a real socket listening on a
free 127.0.0.1 port that every hostile URL points at and that must receive no connection. Two
tests show that these checks are not vacuous: WeasyPrint's default fetcher does connect to the
socket and does embed a file.
"""

import io
import socket
from pathlib import Path

import pytest
import weasyprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from applications.letters import (
    ASSETS_DIR,
    LetterAssetFetcher,
    RefusedURL,
    html_to_pdf,
    offer_letter_filename,
    render_offer_letter_pdf,
)
from applications.models import Application, ContactRole
from tests.applications.test_letters import ASSETS, TODAY, offered_application, pdf_text
from tests.security.test_hostile_input import hostile_text


def with_address(application: Application, **address: str) -> Application:
    Application.objects.filter(pk=application.pk).update(**address)
    application.refresh_from_db()
    return application


def hostile_markup(port: int) -> dict[str, str]:
    """Markup an applicant might type, every URL in it aimed at the trap or at a local service."""
    return {
        "name": f'<img src="http://127.0.0.1:{port}/name.png"> <img src="file:///etc/passwd">',
        "street": f"<style>@import url(http://127.0.0.1:{port}/import.css); @import 'file:///etc/passwd';</style>",
        "city": f'<link rel="stylesheet" href="http://127.0.0.1:{port}/site.css"> http://127.0.0.1:6379/',
        "contact": f'<iframe src="http://127.0.0.1:{port}/frame"></iframe>',
        "title": f'<object data="http://127.0.0.1:{port}/object"></object>',
        "attachment": f'<link rel="attachment" href="http://127.0.0.1:{port}/a.bin"> <a rel="attachment" href="file:///etc/passwd">x</a>',
    }


def embedded_files(pdf: bytes) -> list[str]:
    """Every file the PDF embeds: the /EmbeddedFiles name tree and /FileAttachment annotations."""
    reader = PdfReader(io.BytesIO(pdf))
    found = [f"EmbeddedFiles:{name}" for name in reader.attachments]
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("EmbeddedFiles tree")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append("FileAttachment annotation")
    return found


@pytest.fixture
def trap():
    """A listening socket: any connection WeasyPrint made would wait in its backlog."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connections_made(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.mark.django_db
def test_hostile_text_in_every_field_of_the_letter_is_printed_literally_and_fetches_nothing(trap):
    port = trap.getsockname()[1]
    hostile = hostile_markup(port)
    application = with_address(
        offered_application(official_name=hostile["name"]),
        street_address=hostile["street"],
        postal_code="<i>924</i>",
        city=hostile["city"],
    )
    application.contacts.filter(role=ContactRole.ELECTED).update(
        name=hostile["contact"], title=hostile["title"], email=f"x@127.0.0.1:{port}"
    )
    application.contacts.filter(role=ContactRole.OFFICIAL).update(name=hostile["attachment"])
    fetcher = LetterAssetFetcher()

    pdf = render_offer_letter_pdf(application, today=TODAY, fetcher=fetcher)

    # Printed as text (line breaks aside: the PDF wraps long URLs).
    printed = "".join(pdf_text(pdf).split())
    for value in hostile.values():
        assert "".join(value.split()) in printed
    # Escaped text is only text: WeasyPrint asked for nothing but the letter's own assets.
    assert set(fetcher.served) <= ASSETS
    assert fetcher.refused == []
    assert connections_made(trap) == 0
    assert embedded_files(pdf) == []


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
# No NUL: the forms refuse it (test_hostile_input), and PostgreSQL could not store it.
@given(texts=st.lists(hostile_text.map(lambda text: text.replace("\x00", "")[:100]), min_size=4, max_size=4))
def test_any_text_in_the_letter_fetches_nothing(trap, texts):
    """The same, for the hostile text every public form is tested with (test_hostile_input)."""
    application = with_address(offered_application(official_name=texts[0]), street_address=texts[1], city=texts[2])
    application.contacts.filter(role=ContactRole.ELECTED).update(name=texts[3])
    fetcher = LetterAssetFetcher()

    pdf = render_offer_letter_pdf(application, today=TODAY, fetcher=fetcher)

    assert set(fetcher.served) <= ASSETS and fetcher.refused == []
    assert connections_made(trap) == 0
    assert embedded_files(pdf) == []
    application.delete()


def test_raw_hostile_html_gets_nothing_through_the_fetcher(trap, tmp_path):
    """The second line of defence: markup that escaped the template still reads nothing."""
    port = trap.getsockname()[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    html = f"""<html><head>
      <link rel="attachment" href="file://{secret}">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/site.css">
      <style>
        @import url(http://127.0.0.1:{port}/import.css);
        @font-face {{ font-family: Evil; src: url(file:///usr/share/fonts/truetype/dejavu/DejaVuSans.ttf); }}
        body {{ background: url(http://127.0.0.1:{port}/bg.png); font-family: Evil; }}
      </style></head><body>
      <p>Hej</p>
      <img src="file:///etc/passwd">
      <img src="http://127.0.0.1:{port}/pixel.png">
      <img src="http://127.0.0.1:6379/">
      <img src="../../../../etc/passwd">
      <img src="klimat-letter:../../klimat/settings.py">
      <img src="klimat-letter:%2e%2e/%2e%2e/etc/passwd">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E">
      <a rel="attachment" href="file:///etc/passwd">passwd</a>
      <a rel="attachment" href="http://127.0.0.1:{port}/a.bin">remote</a>
      <iframe src="http://127.0.0.1:{port}/frame"></iframe>
      <object data="file:///etc/passwd"></object>
    </body></html>"""
    fetcher = LetterAssetFetcher()

    pdf = html_to_pdf(html, fetcher=fetcher)

    assert "Hej" in pdf_text(pdf)
    assert set(fetcher.served) <= ASSETS
    refused = set(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert f"http://127.0.0.1:{port}/import.css" in refused
    assert f"http://127.0.0.1:{port}/pixel.png" in refused
    assert "http://127.0.0.1:6379/" in refused
    assert any(url.startswith("data:") for url in refused)
    assert connections_made(trap) == 0
    # The attachments are dropped before the PDF is written, so they are not even asked for.
    assert not any(str(secret) in url for url in fetcher.served)
    assert embedded_files(pdf) == []
    assert b"root:x:0:0" not in pdf


def test_an_attachment_link_to_an_allowed_asset_is_not_embedded_either():
    html = """<html><head><link rel="attachment" href="klimat-letter:offer.css"></head>
      <body><p><a rel="attachment" href="klimat-letter:logo.svg">logo</a></p></body></html>"""

    pdf = html_to_pdf(html, fetcher=LetterAssetFetcher())

    assert embedded_files(pdf) == []


def test_embedded_file_check_does_see_an_embedded_file(tmp_path):
    """The check above is not vacuous: WeasyPrint's default fetcher does embed a file:// link."""
    attached = tmp_path / "attached.txt"
    attached.write_text("secret")
    html = f'<html><head><link rel="attachment" href="file://{attached}"></head><body>x</body></html>'

    pdf = weasyprint.HTML(string=html, url_fetcher=weasyprint.urls.URLFetcher(allowed_protocols=["file"])).write_pdf()

    assert embedded_files(pdf) != []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:6379/",
        "https://example.org/offer.css",
        "ftp://example.org/offer.css",
        "data:text/css,body{color:red}",
        "offer.css",
        "../offer.css",
        "/etc/passwd",
        "klimat-letter:../../klimat/settings.py",
        "klimat-letter:%2e%2e/%2e%2e/etc/passwd",
        "klimat-letter:..%2f..%2fetc%2fpasswd",
        "klimat-letter:/etc/passwd",
        "klimat-letter://evil.example/offer.css",
        "klimat-letter:offer.css?v=1",
        "klimat-letter:.offer.css",
        "klimat-letter:missing.css",
        "klimat-letter:offer.CSS",
        "klimat-letter:sub/offer.css",
    ],
)
def test_fetcher_refuses_everything_but_its_own_assets(url):
    fetcher = LetterAssetFetcher()

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)

    assert fetcher.refused == [url]
    assert fetcher.served == []


@pytest.mark.parametrize(("name", "content_type"), [("offer.css", "text/css"), ("logo.svg", "image/svg+xml")])
def test_fetcher_serves_the_letters_assets(name, content_type):
    fetcher = LetterAssetFetcher()

    response = fetcher.fetch(f"klimat-letter:{name}")

    assert response.read() == (ASSETS_DIR / name).read_bytes()
    assert response.content_type == content_type
    assert fetcher.served == [f"klimat-letter:{name}"]
    assert fetcher.refused == []


def test_fetcher_does_not_follow_a_symlink_out_of_its_directory(tmp_path: Path):
    (tmp_path / "evil.css").symlink_to("/etc/passwd")
    (tmp_path / "good.css").write_text("p { color: green }")
    fetcher = LetterAssetFetcher(assets_dir=tmp_path)

    assert fetcher.fetch("klimat-letter:good.css").read() == b"p { color: green }"
    with pytest.raises(RefusedURL):
        fetcher.fetch("klimat-letter:evil.css")


def test_the_trap_does_see_a_connection_from_weasyprints_default_fetcher(trap):
    """The socket above is not vacuous: an unrestricted fetcher does connect to it."""
    port = trap.getsockname()[1]
    html = f'<html><body><img src="http://127.0.0.1:{port}/pixel.png"></body></html>'

    weasyprint.HTML(string=html, url_fetcher=weasyprint.urls.URLFetcher(timeout=0.5)).write_pdf()

    assert connections_made(trap) >= 1


@pytest.mark.django_db
def test_filename_of_a_hostile_name_is_still_a_plain_name():
    application = offered_application(official_name='../../<script>"; rm -rf /' + "x" * 120)

    filename = offer_letter_filename(application)

    assert filename.isascii()
    assert "/" not in filename and ".." not in filename and '"' not in filename
    assert filename.endswith(".pdf") and len(filename) < 120

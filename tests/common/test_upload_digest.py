"""An upload's SHA-256 is worked out once a request: the Idempotency-Key's fingerprint and
the material's record name the same digest of the same bytes."""

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from shenpi.common.files import check_upload, content_sha256

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_the_digest_is_of_the_whole_file_and_leaves_it_to_be_read_again():
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    assert content_sha256(upload) == hashlib.sha256(PNG).hexdigest()
    assert upload.read() == PNG  # rewound for the check that reads it next


def test_the_check_names_the_digest_the_fingerprint_took():
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    first = content_sha256(upload)
    checked = check_upload(upload, allowed={"image/png": "png"}, max_bytes=1024)
    assert checked.sha256 == first == hashlib.sha256(PNG).hexdigest()


def test_a_file_not_hashed_before_is_hashed_from_what_was_read():
    upload = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    checked = check_upload(upload, allowed={"image/png": "png"}, max_bytes=1024)
    assert checked.sha256 == hashlib.sha256(PNG).hexdigest() == content_sha256(upload)

"""Teaches schemathesis the one request body it cannot make by itself: a course package
(application/zip). It sends raw bytes and small zips of random files, both of which the
server must refuse cleanly (400 naming the problem) or import."""

import io
import string
import zipfile

import schemathesis
from hypothesis import strategies as st


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_names = st.text(alphabet=string.ascii_letters + string.digits + "/._-", min_size=1, max_size=40)
_packages = st.one_of(
    st.binary(max_size=2048),
    st.dictionaries(_names, st.binary(max_size=512), max_size=6).map(_zip),
)

schemathesis.openapi.media_type("application/zip", _packages)

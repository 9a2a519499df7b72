"""The media types of the API's files. A file view answers its file itself; these renderers let a client ask
for the type (`Accept: text/csv`) and still read a refusal, as text."""

import json

from rest_framework.renderers import BaseRenderer


class _FileRenderer(BaseRenderer):
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        return json.dumps(data).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class PDFRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"

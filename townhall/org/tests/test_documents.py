from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core.testing import ResourceContract
from townhall.org.models import Document


class TestDocumentContract(ResourceContract):
    model = Document
    api_format = "multipart"

    def data(self, departments, n=1):
        return {
            "title": f"Policy {n}",
            "kind": "policy",
            "file": SimpleUploadedFile(f"policy-{n}.txt", b"Acceptable use policy text.\n"),
        }

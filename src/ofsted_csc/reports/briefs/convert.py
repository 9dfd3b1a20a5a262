"""Word to PDF through LibreOffice, headless (Debian's libreoffice-writer-nogui)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ofsted_csc.domain.errors import ConversionFailed

TIMEOUT_SECONDS = 180


def libreoffice() -> str | None:
    """The LibreOffice program on this machine, if there is one."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(data: bytes, name: str = "brief.docx") -> bytes:
    """The PDF of a Word document, converted by LibreOffice in a private profile (so two
    conversions at once do not share one)."""
    program = libreoffice()
    if program is None:
        raise ConversionFailed(
            f"{name}: a PDF needs LibreOffice, which is not installed here "
            "(Debian: apt-get install libreoffice-writer-nogui); the Word file can be "
            "saved as PDF from Word instead"
        )
    with tempfile.TemporaryDirectory(prefix="ofsted-csc-pdf-") as tmp:
        work = Path(tmp)
        source = work / "brief.docx"
        source.write_bytes(data)
        cmd = [
            program,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionFailed(
                f"{name}: LibreOffice took more than {TIMEOUT_SECONDS} s to make the PDF"
            ) from None
        out = work / "brief.pdf"
        if done.returncode != 0 or not out.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:300]
            raise ConversionFailed(f"{name}: LibreOffice could not make the PDF ({said})")
        return out.read_bytes()

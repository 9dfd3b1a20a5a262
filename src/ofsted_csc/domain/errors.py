"""Typed errors. The library raises these; only the CLI and web edges turn them into words
for people (each error's `message` is already a plain sentence naming the file)."""

from __future__ import annotations

from collections.abc import Iterable

# The one wording for a value outside a known set: “happiness” is not a judgement (a, b, c).
# marshmallow's OneOf fills {input} and {choices} the same way (see one_of_error).
NOT_ONE_OF = "“{input}” is not {what} ({choices})"


def not_one_of(value: object, what: str, choices: Iterable[str]) -> str:
    """“x” is not `what` (the choices): `what` with its article ("a judgement")."""
    return NOT_ONE_OF.format(input=value, what=what, choices=", ".join(choices))


def one_of_error(what: str) -> str:
    """The same words as a marshmallow `OneOf(..., error=...)` message."""
    return NOT_ONE_OF.replace("{what}", what)


def not_a_date(text: object) -> str:
    """The one wording for a date that cannot be read (CLI options, corrections, the web)."""
    return f"“{text}” is not a date (use YYYY-MM-DD)"


class OfstedCscError(Exception):
    """Base of every error ofsted-csc raises on purpose."""

    @property
    def message(self) -> str:
        return str(self)


class DocumentError(OfstedCscError):
    """A file that cannot be taken in: says which file and what is wrong with it."""

    reason_code = "document"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:
        # picklable with its two arguments: refusals cross from worker processes
        return (type(self), (self.source, self.problem))


class EmptyFile(DocumentError):
    reason_code = "empty_file"


class FileTooLarge(DocumentError):
    reason_code = "too_large"


class NotAPdf(DocumentError):
    reason_code = "not_a_pdf"


class DamagedPdf(DocumentError):
    reason_code = "damaged_pdf"


class EncryptedPdf(DocumentError):
    reason_code = "encrypted_pdf"


class NoText(DocumentError):
    reason_code = "no_text"


class PdfTooComplex(DocumentError):
    """A PDF whose compressed content inflates far past any report's (a decompression bomb):
    refused before the PDF library reads it."""

    reason_code = "too_complex"


class ReadLimitExceeded(DocumentError):
    """A PDF whose reading passed the memory or time limit (the process reading it was
    stopped; nothing else was affected)."""

    reason_code = "read_limit"


class NotAReport(DocumentError):
    """A readable PDF that is not an Ofsted children's services report or letter."""

    reason_code = "not_a_report"


class CorrectionsError(OfstedCscError):
    """A corrections file that cannot be used."""


class StoreError(OfstedCscError):
    """The database could not be opened or used."""


class DiskFull(StoreError):
    """The database could not be written: the disk (or the file-size limit) is full. The
    transaction that hit it was rolled back; what was committed before it is kept."""


class StoreBusy(StoreError):
    """The database stayed locked by another process for longer than ofsted-csc waits."""


class NotFound(OfstedCscError):
    """A record, council or file asked for does not exist."""


class InvalidInput(OfstedCscError):
    """A value given by a user (date, option, form field) is not valid."""


class PermissionDenied(OfstedCscError):
    """The acting user's role does not allow this."""


class AuthenticationFailed(OfstedCscError):
    """A sign-in with an unknown user name or a wrong password (never says which)."""


class SignInRefused(AuthenticationFailed):
    """A single sign-on (OpenID Connect) refused: the identity provider's answer could not
    be trusted, or it names nobody who may use this service. Subclasses say which."""


class ProviderAnswerInvalid(SignInRefused):
    """The identity provider's answer failed a check (state, the ID token's signature,
    issuer, audience, expiry or nonce), or the provider reported an error."""


class ProviderUnavailable(SignInRefused):
    """The identity provider could not be reached, or its discovery document was unusable."""


class EmailNotVerified(SignInRefused):
    """The identity provider did not say that the person's email address is verified."""


class NoAccount(SignInRefused):
    """No active account of this service has the verified email address (and new accounts
    are not made from single sign-on, or this one could not be)."""


class Conflict(OfstedCscError):
    """Someone else changed the thing being saved since it was read (optimistic lock):
    nothing was saved."""


class StaleEdit(Conflict):
    """An edit refused because the record changed since the form (or command) read it: the
    version it names is not the current one, or another save landed while this one was
    being written. Nothing was saved; the web app answers 409."""


class ConversionFailed(OfstedCscError):
    """A document could not be converted (no LibreOffice, or it failed)."""


class SyncError(OfstedCscError):
    """A sync from Ofsted's website stopped: nothing was stored."""


class SiteChanged(SyncError):
    """A page of Ofsted's website did not have the structure sync expects: names the page
    and what was expected, so the parser can be mended."""

    def __init__(self, url: str, expected: str) -> None:
        self.url = url
        self.expected = expected
        super().__init__(
            f"{url}: Ofsted's website has changed: expected {expected}. Nothing was stored; "
            "please report this (ofsted-csc needs updating to read the new pages)"
        )


class SiteUnavailable(SyncError):
    """A page sync needs could not be fetched (after retries)."""


class SiteRefused(SiteUnavailable):
    """Ofsted's site refused this client's requests (403 Forbidden, 429 Too Many Requests)
    even after waiting and asking again: says so plainly, with the identity that was sent."""

    def __init__(self, url: str, problem: str, identity: str) -> None:
        self.url = url
        self.problem = problem
        self.identity = identity
        super().__init__(
            f"{url}: Ofsted's site refused ofsted-csc's requests ({problem}). Nothing was "
            "stored. The site may be turning away automated clients, or this network "
            "address: try again later with a longer --delay, and set OFSTED_CSC_CONTACT (an "
            "email or web address) so that Ofsted can see who is asking and reach you. The "
            f"identity sent was “{identity}” (OFSTED_CSC_USER_AGENT or --user-agent sets "
            "another)"
        )


class SyncBusy(SyncError):
    """Another sync is already running against the same database."""

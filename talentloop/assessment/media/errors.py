"""What can go wrong with a recording, as exceptions carrying a short English detail.

The Django side turns `code` into an answer status and translates the detail for people; the engine itself stays
free of Django and of translations.
"""

from __future__ import annotations


class MediaError(Exception):
    """The recording cannot be analysed. `code` is stable (it becomes the answer status); `detail` is one short
    English sentence fragment a person can act on."""

    code = "media_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class MediaUnreadable(MediaError):
    """Empty, cut off, not a recording at all, or damaged so the decoder gives up."""

    code = "unreadable"


class UnsupportedMedia(MediaError):
    """A real media file we cannot use: no sound track, or a codec this build of FFmpeg cannot decode."""

    code = "unsupported"


class MediaTooLong(MediaError):
    """Longer than the configured limit; refused before (or while) decoding so a huge file costs little."""

    code = "too_long"

    def __init__(self, detail: str, *, seconds: float, max_seconds: float) -> None:
        super().__init__(detail)
        self.seconds = seconds
        self.max_seconds = max_seconds


class ASRUnavailable(Exception):
    """No usable speech recogniser: none configured for the language, the package or model is missing, or the
    cloud service refused or could not be reached. Not the recording's fault, so not a MediaError."""

    code = "asr_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

"""The notification of new incoming documents shown on the văn thư's pages (NĐ 30 Phụ lục VI Phần III
mục 1.i: "hiển thị thông báo văn bản mới").

"Mới" is a văn bản đến the connector registered (status ``da_vao_so``) that nobody has yet taken up:
the văn thư must present it. The notice is a ``role="status"`` region (announced by screen readers)
with the count in words and a link to the list of those documents (``/van-ban-den/moi``). It is shown
on the start page (the sổ đi list) and the pages of văn bản đến.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice.context import AppContext
from refoffice.models_exchange import IncomingDocument

NEW = "da_vao_so"


def new_incoming_count(session: Session) -> int:
    """How many văn bản đến are registered and not yet taken up."""
    return int(session.scalar(select(func.count()).where(IncomingDocument.status == NEW)) or 0)


def incoming_notice(session: Session, ctx: AppContext) -> int:
    """The count the notice shows (0: no notice); the fault ``incoming_notification_missing`` hides it.

    The switch is read only when there is a notice to hide: every page a UI criterion opens after
    logging in shows the notice's place, and the fault matrix reruns a criterion under each switch it
    read, so reading it on every page would put every UI criterion through this fault."""
    count = new_incoming_count(session)
    if count and ctx.faults.on("incoming_notification_missing"):
        return 0
    return count

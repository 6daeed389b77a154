"""Wire the 'up' button's state to the URL (the steps themselves go out with the map).

A click, breadcrumb, 'up', search pick or view change is answered in one callback with the new
URL and the map, breadcrumb and panel it shows (callbacks/render.py): one round trip per step.
"""

from __future__ import annotations

from dash import Dash, Input, Output

from gridmap.views import navigation, url_state
from ui import ids
from web.auth import current_scope
from web.runtime import Runtime


def register(app: Dash, runtime: Runtime) -> None:
    """Register the 'up' button's callback."""
    district = runtime.district

    @app.callback(Output(ids.UP_BUTTON, "disabled"), Input(ids.URL, "search"))
    def up_disabled(search):
        # 'Up' leads nowhere at the top of the reader's tree (the district, or their own grid).
        return navigation.at_top(district, url_state.parse(search), current_scope())

"""The one escaping helper for every value and field name that reaches HTML (DESIGN section 10).

Upload values are untrusted: ``<img onerror>``, ``</script>``, ``${...}``, backticks and
Jinja's ``{{ ... }}`` must reach the browser as text, never as markup or code.
"""

from __future__ import annotations

# Backtick and dollar are escaped too: the same string may end up inside a JavaScript template
# literal (folium and Leaflet plugins build some HTML that way), where `` ` `` and ``${`` are live.
_HTML_ENTITIES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "`": "&#96;",
        "$": "&#36;",
        # Braces too: folium compiles every layer's script as a Jinja template, where
        # ``{{ ... }}`` and ``{% ... %}`` in upload text would run on the server.
        "{": "&#123;",
        "}": "&#125;",
    }
)


def escape_html(value: object) -> str:
    """Text of ``value`` safe to place in HTML element content or a quoted attribute.

    ``None`` becomes the empty string; anything else is passed through ``str`` first.

    Examples
    --------
    >>> escape_html("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_html("${alert(`1`)}")
    '&#36;&#123;alert(&#96;1&#96;)&#125;'
    >>> escape_html("{{ 7*7 }}")
    '&#123;&#123; 7*7 &#125;&#125;'
    """
    if value is None:
        return ""
    return str(value).translate(_HTML_ENTITIES)

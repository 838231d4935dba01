"""HTML to engine text: blocks as lines, table rows as lines of tab-separated cells (P5 counts rows)."""

from __future__ import annotations

import pytest

from govsite.checks.text import html_to_text


def test_blocks_breaks_entities_and_invisible_parts() -> None:
    html = (
        "<html><head><title>标题不算正文</title><style>p { color: red }</style></head><body>"
        "<h1>关于公示&nbsp;名单的通知</h1>"
        "<p>第一段<br>第二行 &lt;附件&gt; &amp; 说明</p>"
        "<script>var id = '350102199003071234';</script><!-- 注释 350102199003071234 -->"
        "<div>  多个   空格\n换行 </div><noscript>不显示</noscript>"
        "<ul><li>一</li><li>二</li></ul>"
        "</body></html>"
    )
    assert html_to_text(html) == "关于公示 名单的通知\n第一段\n第二行 <附件> & 说明\n多个 空格 换行\n一\n二"


def test_table_rows_are_lines_and_cells_are_tabs() -> None:
    html = """
    <table>
      <thead><tr><th>姓名</th><th>身份证号</th><th>电话</th></tr></thead>
      <tbody>
        <tr><td><p>张三</p></td><td>350102199003071234</td><td>13800138000</td></tr>
        <tr><td>李<br>四</td><td></td><td><span>139</span>00139000</td></tr>
      </tbody>
    </table>
    <p>表后</p>
    """
    assert html_to_text(html) == (
        "姓名\t身份证号\t电话\n张三\t350102199003071234\t13800138000\n李 四\t\t13900139000\n表后"
    )


def test_zero_width_characters_do_not_split_numbers() -> None:
    assert html_to_text("<p>3501\u200b0219900307\ufeff1234</p>") == "350102199003071234"


def test_nested_table_stays_inside_its_cell() -> None:
    html = "<table><tr><td>外</td><td><table><tr><td>a</td><td>b</td></tr></table></td></tr></table>"
    assert html_to_text(html) == "外\ta b"


@pytest.mark.parametrize("html", ["", "   ", "<script>x</script>", "<!-- only a comment -->"])
def test_empty_documents(html: str) -> None:
    assert html_to_text(html) == ""


def test_deep_nesting_does_not_hit_the_recursion_limit() -> None:
    html = "<div>" * 3000 + "深处" + "</div>" * 3000
    assert html_to_text(html) == "深处"

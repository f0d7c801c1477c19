"""The radar chart's geometry (exact coordinates) and its SVG (accessible, every text escaped)."""

from __future__ import annotations

from talentloop.interviews.radar import RadarAxis, RadarLabel, points_attr, radar_chart, radar_point, radar_svg

FOUR = [RadarAxis("Up", 50, 70), RadarAxis("Right", 100, 70), RadarAxis("Down", 0, 70), RadarAxis("Left", 80, 70)]


def test_four_axes_start_at_the_top_and_go_clockwise() -> None:
    chart = radar_chart(FOUR)
    assert (chart.width, chart.height, chart.cx, chart.cy, chart.radius) == (560, 400, 280, 200, 130)
    assert chart.score_points == ((280, 135), (410, 200), (280, 200), (176, 200))
    assert chart.required_points == ((280, 109), (371, 200), (280, 291), (189, 200))
    assert chart.spokes == ((280, 70), (410, 200), (280, 330), (150, 200))
    assert chart.rings[0] == (20, ((280, 174), (306, 200), (280, 226), (254, 200)))
    assert [ring for ring, _points in chart.rings] == [20, 40, 60, 80, 100]
    assert chart.labels == (
        RadarLabel("Up", 280, 52, "middle"), RadarLabel("Right", 424, 204, "start"),
        RadarLabel("Down", 280, 356, "middle"), RadarLabel("Left", 136, 204, "end"),
    )


def test_three_axes_at_thirds_of_a_turn_rounded_to_two_decimals() -> None:
    chart = radar_chart([RadarAxis("a", 100, 50), RadarAxis("b", 100, 50), RadarAxis("c", 50, 50)],
                        width=300, height=300, radius=100)
    assert chart.score_points == ((150, 50), (236.6, 200), (106.7, 175))
    assert chart.required_points == ((150, 100), (193.3, 175), (106.7, 175))


def test_values_outside_0_to_100_are_clamped() -> None:
    assert radar_point(0, 0, 100, 0, 4, 150) == (0, -100)
    assert radar_point(0, 0, 100, 1, 4, -20) == (0, 0)


def test_the_svg_is_accessible_and_escapes_every_text() -> None:
    chart = radar_chart([*FOUR[:3], RadarAxis("<b>R&D</b>", 80, 70)])
    svg = radar_svg(chart, title="Scores <of> A & B", description="Up 50 (required 70); <script>",
                    score_name="Score", required_name="Required", uid="r1")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="radar" viewBox="0 0 560 400" role="img" '
                          'aria-labelledby="r1-title r1-desc"')
    assert '<title id="r1-title">Scores &lt;of&gt; A &amp; B</title>' in svg
    assert '<desc id="r1-desc">Up 50 (required 70); &lt;script&gt;</desc>' in svg
    assert f'<polygon class="radar-score" points="{points_attr(chart.score_points)}"' in svg
    assert 'points="280,135 410,200 280,200 176,200"' in svg
    assert 'points="280,109 371,200 280,291 189,200"' in svg
    assert '<text x="136" y="204" text-anchor="end">&lt;b&gt;R&amp;D&lt;/b&gt;</text>' in svg
    assert "<b>" not in svg
    assert "<script>" not in svg


def test_no_axes_draws_only_the_frame() -> None:
    chart = radar_chart([])
    assert (chart.score_points, chart.labels) == ((), ())
    assert "radar-score" not in radar_svg(chart, title="t", description="d", score_name="s", required_name="r")

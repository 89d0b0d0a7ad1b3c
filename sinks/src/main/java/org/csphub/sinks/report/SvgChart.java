package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * A chart drawn by JFreeChart into an inline SVG element that carries its own text alternative: the
 * element has {@code role="img"} and is labelled by its {@code <title>} and {@code <desc>}.
 */
final class SvgChart {

    static {
        // charts are drawn on servers without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color[] SERIES = {new Color(0x1d, 0x70, 0xb8), new Color(0xf4, 0x77, 0x38),
        new Color(0x50, 0x5a, 0x5f)};
    private static final Font FONT = new Font("SansSerif", Font.PLAIN, 12);

    /** One series of a chart: its name and a value (or null for none) per category. */
    record Series(String name, List<Double> values) {
    }

    private SvgChart() {
    }

    static String line(final String id, final String title, final String description, final String valueAxis,
            final List<String> categories, final List<Series> series) {
        final JFreeChart chart = ChartFactory.createLineChart(null, null, valueAxis, dataset(categories, series),
                PlotOrientation.VERTICAL, series.size() > 1, false, false);
        final CategoryPlot plot = style(chart);
        final LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, SERIES[i % SERIES.length]);
            renderer.setSeriesStroke(i, new java.awt.BasicStroke(2.5f));
        }
        return svg(chart, id, title, description, 720, 360);
    }

    static String bars(final String id, final String title, final String description, final String valueAxis,
            final List<String> categories, final List<Series> series, final boolean horizontal) {
        final JFreeChart chart = ChartFactory.createBarChart(null, null, valueAxis, dataset(categories, series),
                horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL, series.size() > 1, false, false);
        final CategoryPlot plot = style(chart);
        final BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, SERIES[i % SERIES.length]);
        }
        if (!horizontal && categories.size() > 6) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        final int height = horizontal ? Math.max(240, 60 + 26 * categories.size()) : 360;
        return svg(chart, id, title, description, 720, height);
    }

    private static DefaultCategoryDataset dataset(final List<String> categories, final List<Series> series) {
        final DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (final Series one : series) {
            for (int i = 0; i < categories.size(); i++) {
                dataset.addValue(one.values().get(i), one.name(), categories.get(i));
            }
        }
        return dataset;
    }

    private static CategoryPlot style(final JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        final CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xb1, 0xb4, 0xb6));
        plot.setOutlineVisible(false);
        final CategoryAxis domain = plot.getDomainAxis();
        domain.setTickLabelFont(FONT);
        plot.getRangeAxis().setTickLabelFont(FONT);
        plot.getRangeAxis().setLabelFont(FONT);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(FONT);
        }
        return plot;
    }

    private static String svg(final JFreeChart chart, final String id, final String title, final String description,
            final int width, final int height) {
        final SVGGraphics2D graphics = new SVGGraphics2D(width, height);
        // several charts share one page: their clip paths and gradients need ids of their own
        graphics.setDefsKeyPrefix(id + "-");
        chart.draw(graphics, new Rectangle(0, 0, width, height));
        final String element = graphics.getSVGElement(id, false, new ViewBox(0, 0, width, height), null, null);
        final int openEnd = element.indexOf('>');
        return element.substring(0, openEnd).replaceFirst("<svg ", "<svg role=\"img\" aria-labelledby=\"" + id
                + "-title " + id + "-desc\" class=\"chart\" ")
                + "><title id=\"" + id + "-title\">" + escapeHtml4(title) + "</title><desc id=\""
                + id + "-desc\">" + escapeHtml4(description) + "</desc>"
                + element.substring(openEnd + 1);
    }
}

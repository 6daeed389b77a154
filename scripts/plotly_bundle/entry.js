// The Plotly of the app's pages: the core (with scatter), bar and the three map traces only.
// Built by build.js into assets/plotly-gridmap.min.js; see README.md beside this file.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/scattermap"),
  require("plotly.js/lib/choroplethmap"),
  require("plotly.js/lib/densitymap"),
]);

module.exports = Plotly;

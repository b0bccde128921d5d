// A Widget class; other/widgets.js defines another class of the same name, so the Summary has
// two location-keyed "Widget" rows. (Blocks: two top-level classes of one name would clash.)
{
  class Widget {
    constructor(id) {
      this.id = id;
      this.label = 'widget ' + id;
      this.el = document.createElement('section');
      this.el.className = 'widget';
      this.el.textContent = this.label;
    }
  }
  window.WidgetA = Widget;
}

{
  class Widget {
    constructor(id) {
      this.id = id;
      this.payload = new Array(16).fill(id);
    }
  }
  window.WidgetB = Widget;
}

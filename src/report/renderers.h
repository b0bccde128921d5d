// One function per output format; Render() (render.cc) dispatches to them.
#ifndef HEAPSCOPE_SRC_REPORT_RENDERERS_H_
#define HEAPSCOPE_SRC_REPORT_RENDERERS_H_

#include <string>

#include "heapscope/report/render.h"
#include "report/render_util.h"

namespace heapscope::report::internal {

std::string RenderText(const Report& report, const RenderOptions& options);
std::string RenderMarkdown(const Report& report, const RenderOptions& options);
std::string RenderHtml(const Report& report, const RenderOptions& options);
std::string RenderJson(const Report& report, const RenderOptions& options);
std::string RenderSarif(const Report& report, const RenderOptions& options);
std::string RenderJunit(const Report& report, const RenderOptions& options);

}  // namespace heapscope::report::internal

#endif  // HEAPSCOPE_SRC_REPORT_RENDERERS_H_

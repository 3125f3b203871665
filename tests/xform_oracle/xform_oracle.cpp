// A tiny driver of HTCondor's own transform code (xform_utils.cpp in libcondor_utils, as
// shipped in the PyPI `htcondor` wheel), used as the oracle of classadlint's transform
// tests. The wheel ships no condor_transform_ads binary and no headers, so the few entry
// points used here are declared by hand with the exact C++ signatures the library exports
// (checked with `nm -D --defined-only | c++filt`); objects whose layout we do not know are
// constructed by the library itself into generously sized, aligned buffers.
//
// It follows the schedd (src/condor_schedd.V6/job_transforms.cpp) and condor_transform_ads
// (src/condor_tools/transform_ads.cpp):
//   xform_oracle apply [-subsys NAME] [-iterating] [-each] (-knob KNOB | -rules FILE)... -ad FILE
//       load each transform (a knob read with param_unexpanded() and opened with
//       MacroStreamXFormSource::open(text, offset, errmsg) as the schedd does, or a rules
//       file read with MacroStreamXFormSource::load() as condor_transform_ads does), then for
//       the new-syntax ad in FILE: matches() + TransformClassAd() for each transform in
//       order, and print the resulting ad in long form. With -each, every
//       transform is applied alone to a fresh copy of the ad with fresh variables (many
//       independent cases in one run).
//   (-oldknob KNOB: an old [ ... ] transform in KNOB, expanded with param() and loaded
//   with XFormLoadFromClassadJobRouterRoute, as condor_transform_ads loads config:// ones)
//   xform_oracle convert [-subsys NAME] (-knob KNOB)...
//       the old-syntax [ ... ] route in KNOB (macro-expanded with param(), as
//       condor_transform_ads does) converted by ConvertClassadJobRouterRouteToXForm().
//   xform_oracle text [-subsys NAME] (-knob KNOB | -rules FILE)
//       getFormattedText() of the loaded transform (NAME/UNIVERSE/REQUIREMENTS + body).
// The configuration is the file named by $CONDOR_CONFIG.
//
// Output on stdout, one record per line:
//   LOAD <index> <rval> <errmsg>         result of open()/load()
//   MATCH <index> <0|1>                  matches() on the ad as it is at that point
//   RVAL <index> <rval> <errmsg>         result of TransformClassAd()
//   AD                                   followed by the ad in long form, then END
//                                        (`Name = expr` per line, as ExprTreeToString
//                                        writes it; a newline inside a value is written
//                                        as \x01 and a NUL in a name as \0)
//   STATEMENT <text>                     (convert) one converted line
// Statement-level errors HTCondor logs (invalid expression, ...) go to stderr.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace classad {
class ExprTree;
class ClassAd {  // only ever used through pointers the library hands out
  public:
    void GetComponents(std::vector<std::pair<std::string, ExprTree *>> &attrs) const;
};
struct CaseIgnLTStr;
class ClassAdParser {
  public:
    ClassAdParser();
    ClassAd *ParseClassAd(const std::string &buffer, bool full);
};
}  // namespace classad

const char *ExprTreeToString(const classad::ExprTree *expr, std::string &buffer);

typedef enum : long {
    SUBSYSTEM_TYPE_INVALID = 0,
    SUBSYSTEM_TYPE_AUTO = 14,
} SubsystemType;
void set_mySubSystem(const char *name, bool is_local, SubsystemType type);
bool config_host(const char *host, int options, const char *root_config);
const char *param_unexpanded(const char *name);
bool param(std::string &value, const char *name, const char *def);
int reconfig_user_maps();  // loads <SUBSYS>_CLASSAD_USER_MAP_NAMES for userMap()

struct macro_source;
class XFormAdUndo;
class XFormHash {
  public:
    enum Flavor { Iterating = 0, Basic, ParamTable };
    XFormHash(Flavor flavor);
    void init();
    void set_RulesFile(const char *filename, macro_source &source);
};
class MacroStreamXFormSource {
  public:
    MacroStreamXFormSource(const char *name);
    int open(const char *statements, int &offset, std::string &errmsg);
    int load(FILE *fp, macro_source &source, std::string &errmsg);
    bool matches(classad::ClassAd *ad);
    int init_iterator(XFormHash &mset, std::string &errmsg);
    bool first_iteration(XFormHash &mset);
    bool next_iteration(XFormHash &mset);
    void clear_iteration(XFormHash &mset);
    const char *getFormattedText(std::string &buf, const char *prefix, bool include_comments);
};
int TransformClassAd(classad::ClassAd *ad, MacroStreamXFormSource &xfm, XFormHash &mset,
                     std::string &errmsg, unsigned int flags, XFormAdUndo *undo);
int XFormLoadFromClassadJobRouterRoute(MacroStreamXFormSource &xform, const std::string &routing_string,
                                       int &offset, const classad::ClassAd &base_route_ad, int options);
int ConvertClassadJobRouterRouteToXForm(std::vector<std::string> &statements, std::string &name,
                                        const std::string &routing_string, int &offset,
                                        const classad::ClassAd &base_route_ad, int options);

static const unsigned XFORM_UTILS_LOG_ERRORS = 0x0001;
static const int CONFIG_OPT_WANT_QUIET = 0x200, CONFIG_OPT_NO_EXIT = 0x100;

// storage for objects the library constructs (their real size is a few hundred bytes)
template <class T> static T *make_storage() {
    void *p = std::aligned_alloc(64, 1 << 16);
    std::memset(p, 0, 1 << 16);
    return static_cast<T *>(p);
}

static std::string one_line(const std::string &s) {
    std::string out;
    for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

// the ad in long form, one attribute per line whatever its value holds
static std::string long_form(const classad::ClassAd &ad) {
    std::vector<std::pair<std::string, classad::ExprTree *>> attrs;
    ad.GetComponents(attrs);
    std::string out;
    for (const auto &[name, tree] : attrs) {
        for (char c : name) { if (c) out += c; else out += "\\0"; }
        out += " = ";
        std::string value;
        ExprTreeToString(tree, value);
        for (char c : value) out += (c == '\n') ? '\x01' : c;
        out += "\n";
    }
    return out;
}

static std::string read_file(const char *path) {
    std::string out;
    FILE *fp = std::fopen(path, "rb");
    if (!fp) { std::fprintf(stderr, "cannot open %s\n", path); std::exit(2); }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) out.append(buf, n);
    std::fclose(fp);
    return out;
}

int main(int argc, char **argv) {
    if (argc < 2) { std::fprintf(stderr, "usage: xform_oracle apply|convert|text ...\n"); return 2; }
    std::string mode = argv[1];
    const char *subsys = "SCHEDD";
    bool iterating = false;
    bool each = false;
    const char *ad_file = nullptr;
    std::vector<std::pair<std::string, std::string>> sources;  // ("knob"|"rules", name)
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-subsys" && i + 1 < argc) subsys = argv[++i];
        else if (a == "-iterating") iterating = true;
        else if (a == "-each") each = true;
        else if (a == "-ad" && i + 1 < argc) ad_file = argv[++i];
        else if ((a == "-knob" || a == "-rules" || a == "-oldknob") && i + 1 < argc) sources.emplace_back(a.substr(1), argv[++i]);
        else { std::fprintf(stderr, "bad argument %s\n", argv[i]); return 2; }
    }

    set_mySubSystem(subsys, false, SUBSYSTEM_TYPE_AUTO);
    config_host(nullptr, CONFIG_OPT_WANT_QUIET | CONFIG_OPT_NO_EXIT, nullptr);
    reconfig_user_maps();

    classad::ClassAdParser *parser = new (make_storage<classad::ClassAdParser>()) classad::ClassAdParser();

    if (mode == "convert") {
        for (const auto &[kind, knob] : sources) {
            if (kind != "knob") return 2;
            std::string text;
            param(text, knob.c_str(), "");
            classad::ClassAd *base = parser->ParseClassAd("[]", true);
            std::vector<std::string> statements;
            std::string name;
            int offset = 0;
            int rval = ConvertClassadJobRouterRouteToXForm(statements, name, text, offset, *base, 0);
            std::printf("CONVERT %d %s\n", rval, name.c_str());
            for (const auto &s : statements) std::printf("STATEMENT %s\n", s.c_str());
        }
        return 0;
    }

    XFormHash *mset = new (make_storage<XFormHash>()) XFormHash(iterating ? XFormHash::Iterating : XFormHash::Basic);
    mset->init();
    std::vector<MacroStreamXFormSource *> xforms;
    for (size_t k = 0; k < sources.size(); ++k) {
        const auto &[kind, name] = sources[k];
        std::string errmsg;
        int rval;
        MacroStreamXFormSource *xfm;
        if (kind == "oldknob") {
            // an old [ ... ] transform, loaded as condor_transform_ads loads config://
            // knobs in that syntax: param() (expanded), then the converter
            xfm = new (make_storage<MacroStreamXFormSource>()) MacroStreamXFormSource(name.c_str());
            std::string text;
            param(text, name.c_str(), "");
            classad::ClassAd *base = parser->ParseClassAd("[]", true);
            int offset = 0;
            rval = XFormLoadFromClassadJobRouterRoute(*xfm, text, offset, *base, 0);
        } else if (kind == "knob") {
            xfm = new (make_storage<MacroStreamXFormSource>()) MacroStreamXFormSource(name.c_str());
            const char *raw = param_unexpanded(name.c_str());
            if (!raw) { std::printf("LOAD %zu -100 not defined\n", k); continue; }
            while (*raw == ' ' || *raw == '\t' || *raw == '\n' || *raw == '\r') ++raw;
            int offset = 0;
            rval = xfm->open(raw, offset, errmsg);
        } else {
            xfm = new (make_storage<MacroStreamXFormSource>()) MacroStreamXFormSource(name.c_str());
            FILE *fp = std::fopen(name.c_str(), "r");
            if (!fp) { std::printf("LOAD %zu -101 cannot open\n", k); continue; }
            macro_source *src = make_storage<macro_source>();
            mset->set_RulesFile(name.c_str(), *src);
            rval = xfm->load(fp, *src, errmsg);
        }
        std::printf("LOAD %zu %d %s\n", k, rval, one_line(errmsg).c_str());
        if (rval >= 0) xforms.push_back(xfm);
    }

    if (mode == "text") {
        for (auto *xfm : xforms) {
            std::string buf;
            std::printf("TEXT\n%s\nEND\n", xfm->getFormattedText(buf, "", true));
        }
        return 0;
    }
    if (mode != "apply" || !ad_file) return 2;

    std::string ad_text = read_file(ad_file);
    std::fflush(stdout);
    auto run_all = [&](classad::ClassAd *ad) {
        for (size_t k = 0; k < xforms.size(); ++k) {
            bool match = xforms[k]->matches(ad);
            std::printf("MATCH %zu %d\n", k, match ? 1 : 0);
            if (!match) continue;
            std::string errmsg;
            std::fflush(stdout);
            int rval = TransformClassAd(ad, *xforms[k], *mset, errmsg, XFORM_UTILS_LOG_ERRORS, nullptr);
            std::fflush(stderr);
            std::printf("RVAL %zu %d %s\n", k, rval, one_line(errmsg).c_str());
        }
        std::printf("AD\n%sEND\n", long_form(*ad).c_str());
        std::fflush(stdout);
    };

    if (each) {
        for (size_t k = 0; k < xforms.size(); ++k) {
            XFormHash *fresh = new (make_storage<XFormHash>()) XFormHash(XFormHash::Basic);
            fresh->init();
            classad::ClassAd *ad = parser->ParseClassAd(ad_text, true);
            if (!ad) { std::printf("BADAD\n"); return 0; }
            bool match = xforms[k]->matches(ad);
            std::printf("MATCH %zu %d\n", k, match ? 1 : 0);
            if (match) {
                std::string errmsg;
                std::fflush(stdout);
                int rval = TransformClassAd(ad, *xforms[k], *fresh, errmsg, XFORM_UTILS_LOG_ERRORS, nullptr);
                std::fflush(stderr);
                std::printf("RVAL %zu %d %s\n", k, rval, one_line(errmsg).c_str());
            }
            std::printf("AD\n%sEND\n", long_form(*ad).c_str());
            std::fflush(stdout);
        }
        return 0;
    }

    bool will_iterate = false;
    if (!xforms.empty()) {
        std::string errmsg;
        int rv = xforms.back()->init_iterator(*mset, errmsg);
        if (rv < 0) { std::printf("ITERATE -1 %s\n", one_line(errmsg).c_str()); return 0; }
        will_iterate = rv != 0 && xforms.back()->first_iteration(*mset);
    }
    if (!will_iterate) {
        classad::ClassAd *ad = parser->ParseClassAd(ad_text, true);
        if (!ad) { std::printf("BADAD\n"); return 0; }
        run_all(ad);
        return 0;
    }
    for (bool more = true; more;) {
        classad::ClassAd *ad = parser->ParseClassAd(ad_text, true);
        if (!ad) { std::printf("BADAD\n"); return 0; }
        run_all(ad);
        more = xforms.back()->next_iteration(*mset);
    }
    xforms.back()->clear_iteration(*mset);
    return 0;
}

/* Interface strings of the published site (French by default, English) and the number
 * formats that go with them: sizes in ko/Mo or kB/MB, durations, footprints. The
 * strings are constants of the program, never user text, so they are not escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

static const SiteStrings fr = {
    .lang = "fr",
    .default_title = "Vidéos",
    .skip = "Aller au contenu",
    .duration = "Durée",
    .definition = "Définition",
    .automatic = "Automatique (selon l'écran)",
    .page_of = "Page %d sur %d",
    .prev = "Page précédente",
    .next = "Page suivante",
    .pages_label = "Pages",
    .playlists = "Listes de lecture et informations : ",
    .m3u_video = "Liste de lecture vidéo (M3U)",
    .m3u_audio = "Liste de lecture audio (M3U)",
    .podcast = "Podcast (RSS)",
    .manifest = "Données (JSON)",
    .declaration = "Déclaration d'écoconception",
    .footprint_page = "Empreinte de chaque format (référents)",
    .heavy = "lourd",
    .audio = "audio",
    .captions = "Sous-titres",
    .decimal = ",",
    .transcript = "Transcription",
    .listen = "Écouter seulement",
    .listen_back = "Revenir à la vidéo",
    .episodes_label = "Épisodes de la série",
    .next_episode = "Épisode suivant : ",
    .permalink = "Lien permanent",
    .back_to_series = "Toute la série",
    .units = {"o", "ko", "Mo", "Go"},
    .role = {"Audio seul", "Sobre", "Standard", "Haute définition", "Compatibilité", "AV1",
             "Très léger", "HDR"},
    .terminal = {"Écoute seule, page masquée, podcast",
                 "Smartphones et écrans ≤ 700 px, réseaux lents (choix automatique)",
                 "Ordinateurs et tablettes (écrans > 700 px)",
                 "Sur demande uniquement, signalé comme lourd",
                 "Navigateurs anciens sans VP9 (secours)",
                 "Navigateurs récents qui décodent l'AV1 (écrans > 700 px)",
                 "Réseaux très lents, au choix de l'utilisateur",
                 "Écrans HDR (plage dynamique étendue) > 700 px, choisi par le navigateur"},
    .device = {"smartphone", "tablette", "ordinateur portable", "ordinateur fixe et écran",
               "téléviseur"},
    .network = {"réseau fixe (France)", "réseau mobile 4G (France)", "5G (France, estimée)",
                "réseau fixe (Europe)", "réseau mobile (Europe)"},
    .screen = {"Sur un écran de 700 px au plus : ", "Sur un écran plus large : "},
    .on_format = "Sur %s, %s : ",
    .files_on = "Fichiers, par vue sur %s, %s :",
    .files_plain = "Fichiers :",
    .fig_long = "{l} ≈ {s} · ≈ {g} g CO₂e par vue (fabrication de l'appareil comprise ; "
                "usage seul : {o} g) · {w} Wh",
    .fig_plain = "{l} ≈ {s}",
    .fig_short = "≈ %s g CO₂e (usage seul : %s g)",
    .about = "Ce que pèse cette page, et comment lire les chiffres",
    .about_load = "Aucune vidéo ne démarre seule. Avant un clic, seuls cette page, sa feuille "
                  "de style, son script et les affiches sont chargés (%d requêtes, %s) ; la "
                  "vidéo, le son et les sous-titres ne viennent qu'à la lecture. Le poids de "
                  "chaque fichier est indiqué avant tout transfert.",
    .about_fp1 = "Empreinte par vue (l'épisode regardé en entier) : calculée par sobre avec "
                 "la méthode ",
    .about_fp2 = ", facteurs ",
    .about_fp3 = ". Le total comprend la part de fabrication de l'appareil, l'essentiel de "
                 "l'empreinte d'une vue en France ; « usage seul » compte l'électricité de "
                 "l'appareil, le réseau et les centres de données. ",
    .about_fp_link = "Tous les formats, les fourchettes et les sources",
    .about_none = "Empreinte par vue : non calculée (aucun fichier de facteurs donné).",
    .description = "%d épisode(s) vidéo sous-titré(s), le poids et l'empreinte de chaque "
                   "fichier indiqués avant tout transfert, un mode écoute seule.",
    .eco_title = "Déclaration d'écoconception — partie média",
    .eco_intro = "Partie média de la déclaration d'écoconception (RGESN 2024), établie par "
                 "sobre %s le %s à partir des fichiers publiés. Chaque critère cité a un statut "
                 "et sa justification tirée de ces fichiers. Les critères qui dépendent du "
                 "serveur ou de l'organisation (cache, compression, hébergement, stratégie) "
                 "restent à déclarer par le service.",
    .eco_media = "Rendus publiés",
    .eco_cols = {"Rendu", "Terminal visé", "Codecs, canaux, conteneur", "Définition",
                 "Débit mesuré", "Mode d'encodage", "Par vue"},
    .eco_vbr = "débit variable (VBR)",
    .eco_crf = "qualité constante CRF %d",
    .eco_cap = "plafond %d kbit/s",
    .eco_keyint = "image clé toutes les %.3g s",
    .eco_mode_unknown = "mode d'encodage non indiqué dans report.json",
    .eco_mono = "mono",
    .eco_stereo = "stéréo",
    .eco_channels = "%d canaux",
    .eco_budget = "Budget des pages vidéo (RGESN 6.1) : limite et mesure",
    .eco_budget_cols = {"Page", "Requêtes avant un clic", "Poids avant un clic", "Éléments HTML",
                        "Statut"},
    .eco_limit = "Limite (chaque page)",
    .eco_criteria = "Critères RGESN 2024",
    .eco_crit_cols = {"Critère", "Statut", "Justification, tirée des fichiers publiés"},
    .eco_status = {"Conforme", "Non conforme", "Non applicable"},
    .eco_fp_none = "non calculée",
    .eco_episodes = "%d épisode(s), durée totale %s, médias publiés : %s.",
    .eco_fp_note = "Par vue : total, fabrication de l'appareil comprise (usage seul entre "
                   "parenthèses), pour un visionnage complet sur %s, %s ; détail de tous les "
                   "formats dans ",
    .fp_title = "Empreinte par vue — tous les formats de la série",
    .fp_intro = "Établie par sobre %s le %s à partir des fichiers publiés (leurs tailles "
                "réelles et leurs durées), pour les référents numérique responsable. Méthode : ",
    .fp_meaning = "Une vue = l'épisode regardé en entier, une fois. Le total comprend la part "
                  "de fabrication de l'appareil qui sert à regarder (c'est l'essentiel en "
                  "France) ; « usage » compte l'électricité de l'appareil, le réseau et les "
                  "centres de données. Bas–haut : tous les facteurs à leur valeur basse, puis "
                  "haute.",
    .fp_series = "La série en bref",
    .fp_series_line = "%d épisode(s), %s en tout, chacun regardé une fois :",
    .fp_chart_alt = "Graphique : g CO₂e pour regarder toute la série une fois, par rendu, sur "
                    "smartphone et sur ordinateur ; les valeurs sont dans le tableau ci-dessous.",
    .fp_chart_caption = "Toute la série regardée une fois, par rendu et par format : foncé, "
                        "usage ; clair, fabrication de l'appareil ; trait, fourchette bas–haut.",
    .fp_all = "Tous les formats de visionnage",
    .fp_all_intro = "Chaque rendu × appareil × réseau, pour toute la série regardée une fois, "
                    "du plus lourd au plus léger ; dernière colonne : si chaque épisode est vu "
                    "%ld fois.",
    .fp_cols = {"Rendu", "Appareil", "Réseau", "Mo", "Wh", "g CO₂e d'usage", "g CO₂e au total",
                "Total bas–haut", "Rapport au plus lourd", "kg CO₂e pour %ld vues"},
    .fp_by_episode = "Par épisode",
    .fp_ep_cols = {"Épisode", "Rendu", "Taille", "Durée", "Sur %s, %s", "Sur %s, %s"},
    .fp_method = "Méthode et sources",
    .fp_formula = "Formule (par vue ; D = heures regardées, B = Go transmis)",
    .fp_factor_cols = {"Facteur", "Valeur", "Bas–haut", "Unité", "Source"},
    .fp_none = "L'empreinte n'a pas été calculée : sobre publish n'a pas reçu de fichier de "
               "facteurs.",
    .fp_derived = "* facteur estimé par sobre (5G : aucun facteur publié).",
    .fp_covers = "%s : %d épisode(s) sur %d",
    .fp_usage = "usage",
    .fp_making = "fabrication",
    .fp_low_src = " — valeur basse : ",
    .fp_factors = "facteurs",
    .fp_high_src = " — valeur haute : ",
};

static const SiteStrings en = {
    .lang = "en",
    .default_title = "Videos",
    .skip = "Skip to content",
    .duration = "Duration",
    .definition = "Definition",
    .automatic = "Automatic (fits the screen)",
    .page_of = "Page %d of %d",
    .prev = "Previous page",
    .next = "Next page",
    .pages_label = "Pages",
    .playlists = "Playlists and information: ",
    .m3u_video = "Video playlist (M3U)",
    .m3u_audio = "Audio playlist (M3U)",
    .podcast = "Podcast (RSS)",
    .manifest = "Data (JSON)",
    .declaration = "Eco-design statement",
    .footprint_page = "Footprint of every format (for referents)",
    .heavy = "heavy",
    .audio = "audio",
    .captions = "Captions",
    .decimal = ".",
    .transcript = "Transcript",
    .listen = "Listen only",
    .listen_back = "Back to the video",
    .episodes_label = "Episodes of the series",
    .next_episode = "Next episode: ",
    .permalink = "Permanent link",
    .back_to_series = "The whole series",
    .units = {"B", "kB", "MB", "GB"},
    .role = {"Audio only", "Light", "Standard", "High definition", "Compatibility", "AV1",
             "Very light", "HDR"},
    .terminal = {"Listening only, hidden page, podcast",
                 "Phones and screens up to 700 px, slow links (automatic)",
                 "Computers and tablets (screens over 700 px)", "On demand only, flagged as heavy",
                 "Old browsers without VP9 (fallback)",
                 "Recent browsers that decode AV1 (screens over 700 px)",
                 "Very slow links, on the user's choice",
                 "HDR (high dynamic range) screens over 700 px, chosen by the browser"},
    .device = {"smartphone", "tablet", "laptop", "desktop and monitor", "TV"},
    .network = {"fixed line (France)", "4G mobile (France)", "5G (France, estimated)",
                "fixed line (Europe)", "mobile (Europe)"},
    .screen = {"On a screen up to 700 px: ", "On a wider screen: "},
    .on_format = "On a %s, %s: ",
    .files_on = "Files, per view on a %s, %s:",
    .files_plain = "Files:",
    .fig_long = "{l} ≈ {s} · ≈ {g} g CO₂e per view (making the device included; use alone: "
                "{o} g) · {w} Wh",
    .fig_plain = "{l} ≈ {s}",
    .fig_short = "≈ %s g CO₂e (use alone: %s g)",
    .about = "What this page weighs, and how to read the figures",
    .about_load = "No video starts by itself. Before a click, only this page, its stylesheet, "
                  "its script and the posters are loaded (%d requests, %s); video, sound and "
                  "captions come only when you play. The size of every file is shown before "
                  "any transfer.",
    .about_fp1 = "Footprint per view (the whole episode, watched once): computed by sobre with "
                 "the method ",
    .about_fp2 = ", factors ",
    .about_fp3 = ". The total includes the share of making the viewing device, most of a "
                 "view's footprint in France; \"use alone\" counts the device's electricity, "
                 "the network and the data centres. ",
    .about_fp_link = "Every format, the brackets and the sources",
    .about_none = "Footprint per view: not computed (no factors file given).",
    .description = "%d captioned video episode(s), the size and footprint of every file shown "
                   "before any transfer, a listen-only mode.",
    .eco_title = "Eco-design statement — media part",
    .eco_intro = "Media part of the eco-design statement (French RGESN 2024), made by sobre %s "
                 "on %s from the published files. Every criterion cited has a status and its "
                 "evidence taken from those files. Criteria that depend on the server or the "
                 "organisation (caching, compression, hosting, strategy) are for the service to "
                 "declare.",
    .eco_media = "Published renditions",
    .eco_cols = {"Rendition", "Target devices", "Codecs, channels, container", "Definition",
                 "Measured bitrate", "Encoding mode", "Per view"},
    .eco_vbr = "variable bitrate (VBR)",
    .eco_crf = "constant quality CRF %d",
    .eco_cap = "capped at %d kbit/s",
    .eco_keyint = "key frame every %.3g s",
    .eco_mode_unknown = "encoding mode not given in report.json",
    .eco_mono = "mono",
    .eco_stereo = "stereo",
    .eco_channels = "%d channels",
    .eco_budget = "Budget of the video pages (RGESN 6.1): limit and measure",
    .eco_budget_cols = {"Page", "Requests before a click", "Weight before a click", "HTML elements",
                        "Status"},
    .eco_limit = "Limit (each page)",
    .eco_criteria = "RGESN 2024 criteria",
    .eco_crit_cols = {"Criterion", "Status", "Evidence, from the published files"},
    .eco_status = {"Met", "Not met", "Not applicable"},
    .eco_fp_none = "not computed",
    .eco_episodes = "%d episode(s), total duration %s, published media: %s.",
    .eco_fp_note = "Per view: the total, making the device included (use alone in brackets), "
                   "for a whole view on a %s, %s; every format in ",
    .fp_title = "Footprint per view — every format of the series",
    .fp_intro = "Made by sobre %s on %s from the published files (their real sizes and "
                "durations), for digital sustainability referents. Method: ",
    .fp_meaning = "One view = the whole episode, watched once. The total includes the share of "
                  "making the device it is watched on (most of it in France); \"use\" counts "
                  "the device's electricity, the network and the data centres. Low–high: "
                  "every factor at its low, then high value.",
    .fp_series = "The series at a glance",
    .fp_series_line = "%d episode(s), %s in all, each watched once:",
    .fp_chart_alt = "Chart: g CO₂e to watch the whole series once, per rendition, on a "
                    "smartphone and on a computer; the values are in the table below.",
    .fp_chart_caption = "The whole series watched once, per rendition and format: dark, use; "
                        "light, making the device; line, low–high bracket.",
    .fp_all = "Every viewing format",
    .fp_all_intro = "Each rendition × device × network, for the whole series watched once, "
                    "heaviest first; last column: if each episode is viewed %ld times.",
    .fp_cols = {"Rendition", "Device", "Network", "MB", "Wh", "g CO₂e in use", "g CO₂e in total",
                "Total low–high", "Ratio to the heaviest", "kg CO₂e for %ld views"},
    .fp_by_episode = "Per episode",
    .fp_ep_cols = {"Episode", "Rendition", "Size", "Duration", "On a %s, %s", "On a %s, %s"},
    .fp_method = "Method and sources",
    .fp_formula = "Formula (per view; D = hours watched, B = GB delivered)",
    .fp_factor_cols = {"Factor", "Value", "Low–high", "Unit", "Source"},
    .fp_none = "The footprint was not computed: sobre publish was given no factors file.",
    .fp_derived = "* factor estimated by sobre (5G: no published factor).",
    .fp_covers = "%s: %d of %d episode(s)",
    .fp_usage = "use",
    .fp_making = "making",
    .fp_low_src = " — low value: ",
    .fp_factors = "factors",
    .fp_high_src = " — high value: ",
};

const SiteStrings *site_strings(const char *lang)
{
    if (!lang || !strcmp(lang, "fr"))
        return &fr;
    if (!strcmp(lang, "en"))
        return &en;
    return NULL;
}

static const char *const role_names[SITE_ROLES] = {"audio",    "sobre", "standard", "high",
                                                   "fallback", "extra", "low",      "hdr"};

const char *site_role_name(int role)
{
    return role >= 0 && role < SITE_ROLES ? role_names[role] : "";
}

int site_role(const char *role)
{
    for (int i = 0; i < SITE_ROLES; i++)
        if (!strcmp(role, role_names[i]))
            return i;
    return -1;
}

/* printf-formatted number with the language's decimal separator. */
static void put_decimal(SobreBuf *b, const SiteStrings *t, int decimals, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
    for (char *p = tmp; *p; p++) {
        if (*p == '.')
            sobre_buf_puts(b, t->decimal);
        else
            sobre_buf_putn(b, p, 1);
    }
}

void site_put_size(SobreBuf *b, const SiteStrings *t, int64_t bytes)
{
    double v = (double)bytes;
    int u = 0;
    while (v >= 999.5 && u < 3) {
        v /= 1000.0;
        u++;
    }
    put_decimal(b, t, (u > 0 && v < 9.95) ? 1 : 0, v);
    sobre_buf_printf(b, " %s", t->units[u]);
}

void site_put_duration(SobreBuf *b, double seconds)
{
    long s = lround(seconds);
    if (s < 1)
        s = 1;
    if (s < 60)
        sobre_buf_printf(b, "%ld s", s);
    else if (s < 3600)
        sobre_buf_printf(b, "%ld min %02ld s", s / 60, s % 60);
    else
        sobre_buf_printf(b, "%ld h %02ld min", s / 3600, (s % 3600) / 60);
}

void site_put_num(SobreBuf *b, const SiteStrings *t, double v)
{
    int decimals = 0;
    if (!(v > 0) || !isfinite(v)) {
        sobre_buf_puts(b, "0");
        return;
    }
    /* the exponent of the value as rounded to 2 digits: 0.09996 is "0.10", not "0.100" */
    char two[32];
    snprintf(two, sizeof(two), "%.1e", v);
    int e = (int)floor(log10(strtod(two, NULL)));
    if (e < 1)
        decimals = 1 - e;
    if (decimals > 9)
        decimals = 9;
    put_decimal(b, t, decimals, v);
}

const char *site_codec_name(const char *c)
{
    static const char *const map[][2] = {
        {"vp9", "VP9"},   {"av1", "AV1"}, {"h264", "H.264"}, {"hevc", "HEVC"},     {"vp8", "VP8"},
        {"opus", "Opus"}, {"aac", "AAC"}, {"mp3", "MP3"},    {"vorbis", "Vorbis"}, {"webm", "WebM"},
        {"mp4", "MP4"},   {"m4a", "M4A"}, {"ogg", "Ogg"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(c, map[i][0]))
            return map[i][1];
    return c;
}

void site_page_name(int page, char *out, size_t size)
{
    if (page <= 1)
        snprintf(out, size, "index.html");
    else
        snprintf(out, size, "page-%d.html", page);
}

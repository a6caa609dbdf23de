# trend-warm-p50.gp, written by mrb-analyze: run gnuplot trend-warm-p50.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'trend-warm-p50.png'
set title 'Warm p50 per night'
set xlabel 'night (UTC)'
set ylabel 'warm p50 (ms)'
set grid
set key left top
set xdata time
set timefmt '%s'
set format x '%m-%d'
set xtics 86400
plot 'trend-warm-p50.dat' index 0 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#2ca02c' title 'go', \
     'trend-warm-p50.dat' index 1 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#9467bd' title 'kotlin', \
     'trend-warm-p50.dat' index 2 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#1f77b4' title 'python', \
     'trend-warm-p50.dat' index 3 using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#ff7f0e' title 'typescript'
set terminal svg size 900,500
set termoption noenhanced
set output 'trend-warm-p50.svg'
replot
unset output

# metric-1.gp, written by mrb-analyze: run gnuplot metric-1.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'metric-1.png'
set title 'Benchmark/HandlerLatency'
set xlabel 'runtime'
set ylabel 'Milliseconds'
set grid
set style fill solid 0.4 border
set boxwidth 0.5
set key right top
set xrange [-0.5:3.5]
set xtics ('go (n=23)' 0, 'kotlin (n=23)' 1, 'python (n=23)' 2, 'typescript (n=23)' 3)
plot 'metric-1.dat' index 0 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#2ca02c' notitle, 'metric-1.dat' index 0 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'metric-1.dat' index 1 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#9467bd' notitle, 'metric-1.dat' index 1 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'metric-1.dat' index 2 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#1f77b4' notitle, 'metric-1.dat' index 2 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'metric-1.dat' index 3 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#ff7f0e' notitle, 'metric-1.dat' index 3 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle
set terminal svg size 900,500
set termoption noenhanced
set output 'metric-1.svg'
replot
unset output
